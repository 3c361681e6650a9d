/** The catalogue's products that keep Online Boutique's ids, so its load scripts and links still resolve. */
export const ONLINE_BOUTIQUE_PRODUCT_IDS: readonly string[] = [
  'OLJCESPC7Z',
  '66VCHSJNUP',
  '1YMWWN1N4O',
  'L9ECAV7KIM',
  '2ZYFJ3GM2N',
  '0PUK6V6EV0',
  'LS4PSXUNUM',
  '9SIQT8TOJO',
  '6E92ZMYYFZ',
];
