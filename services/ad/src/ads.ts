import type { hipstershop } from '@glasshouse/contracts';

/** The product categories ads are keyed by (the catalogue's categories). */
export const CATEGORIES = [
  'accessories',
  'books',
  'clothing',
  'decor',
  'footwear',
  'garden',
  'home',
  'kitchen',
  'music',
  'outdoor',
  'tech',
] as const;

export type Category = (typeof CATEGORIES)[number];

const ad = (productId: string, text: string): hipstershop.Ad => ({
  redirectUrl: `/product/${productId}`,
  text,
});

/**
 * The ads, by category. Product ids are copied from the catalogue's seed as data: services do
 * not share code, and an ad for a product the catalogue lacks only leads to a 404 page.
 */
export const ADS_BY_CATEGORY: Readonly<Record<Category, readonly hipstershop.Ad[]>> = {
  accessories: [
    ad('9SIQT8TOJO', 'Wide-brim straw hat: shade for long afternoons in the beds.'),
    ad('R6GY1CK3PM', 'Leather garden gloves, 20% off: thorn-proof and soft from day one.'),
  ],
  books: [ad('F5JD0YT6LQ', 'Greenhouse field journal: a season of notes, sketches and harvests.')],
  clothing: [
    ad('1YMWWN1N4O', 'Linen potting apron: a pocket for every seed packet.'),
    ad('9SIQT8TOJO', 'Straw hats are back in stock for the summer.'),
  ],
  decor: [
    ad('OLJCESPC7Z', 'A greenhouse for your windowsill: the glass terrarium kit.'),
    ad('M8ZA3LF5HY', 'Macramé hanging planters, knotted by hand.'),
    ad('B3WXK8N1RA', 'Beeswax pillar candles: a warm glow, a faint scent of honey.'),
  ],
  footwear: [ad('LS4PSXUNUM', 'Rubber garden boots in fern green: made for muddy mornings.')],
  garden: [
    ad('66VCHSJNUP', 'The brass watering can: reaches the back of the bench.'),
    ad('2ZYFJ3GM2N', 'Bypass pruning shears, free sharpening for life.'),
    ad('6E92ZMYYFZ', 'Grow your own herbs: the kitchen herb seed collection.'),
  ],
  home: [
    ad('L9ECAV7KIM', 'Terracotta pot trio: clay that lets the roots breathe.'),
    ad('K2TP7GS0WB', 'The enamel teapot: tea for the whole potting shed.'),
  ],
  kitchen: [
    ad('H9NC4RV2EU', 'Wildflower honey from hives beside the greenhouse.'),
    ad('K2TP7GS0WB', 'Enamel teapot, buy two and save 10%.'),
  ],
  music: [ad('Y1KM6EW4RS', 'Rain on Glass, on vinyl: the sound of a greenhouse in a storm.')],
  outdoor: [
    ad('0PUK6V6EV0', 'Solar glass lanterns: light the path for free.'),
    ad('W7DN5QJ9AZ', 'Teak garden bench: the best seat in the garden.'),
    ad('U0LS8HX2TF', 'Cedar bird feeder: company for the gardener.'),
  ],
  tech: [ad('Q4VE9BN7JD', 'Smart soil sensor: your plants tell you when they are thirsty.')],
};

/** Every ad once (an ad listed under two categories counts once), in a stable order. */
export const ALL_ADS: readonly hipstershop.Ad[] = [
  ...new Map(
    CATEGORIES.flatMap((category) => ADS_BY_CATEGORY[category]).map((a) => [
      `${a.redirectUrl}\n${a.text}`,
      a,
    ]),
  ).values(),
];

export function isCategory(key: string): key is Category {
  return (CATEGORIES as readonly string[]).includes(key);
}
