/** A product's opening stock, as the inventory seeds it into its own store. */
export interface SeedStock {
  productId: string;
  productName: string;
  quantity: number;
  lowStockThreshold: number;
}

/**
 * Opening stock for the catalogue's twenty products (ids and names copied as data: the
 * inventory reads no other service's code or tables). Two start below their threshold: the
 * supplier's first delivery, at start, brings them up (restock.ts).
 */
export const SEED_STOCK: readonly SeedStock[] = Object.freeze([
  { productId: 'OLJCESPC7Z', productName: 'Glass Terrarium Kit', quantity: 40, lowStockThreshold: 10 },
  { productId: '66VCHSJNUP', productName: 'Brass Watering Can', quantity: 85, lowStockThreshold: 10 },
  { productId: '1YMWWN1N4O', productName: 'Linen Potting Apron', quantity: 120, lowStockThreshold: 12 },
  { productId: 'L9ECAV7KIM', productName: 'Terracotta Pot Trio', quantity: 200, lowStockThreshold: 15 },
  { productId: '2ZYFJ3GM2N', productName: 'Bypass Pruning Shears', quantity: 60, lowStockThreshold: 8 },
  { productId: '0PUK6V6EV0', productName: 'Solar Glass Lantern', quantity: 3, lowStockThreshold: 10 },
  { productId: 'LS4PSXUNUM', productName: 'Rubber Garden Boots', quantity: 45, lowStockThreshold: 8 },
  { productId: '9SIQT8TOJO', productName: 'Wide-Brim Straw Hat', quantity: 70, lowStockThreshold: 10 },
  {
    productId: '6E92ZMYYFZ',
    productName: 'Kitchen Herb Seed Collection',
    quantity: 180,
    lowStockThreshold: 15,
  },
  { productId: '7HQ2MZP4XC', productName: 'Glass Plant Mister', quantity: 95, lowStockThreshold: 10 },
  { productId: 'B3WXK8N1RA', productName: 'Beeswax Pillar Candle', quantity: 150, lowStockThreshold: 12 },
  { productId: 'F5JD0YT6LQ', productName: 'Greenhouse Field Journal', quantity: 110, lowStockThreshold: 10 },
  { productId: 'H9NC4RV2EU', productName: 'Wildflower Honey', quantity: 75, lowStockThreshold: 12 },
  { productId: 'K2TP7GS0WB', productName: 'Enamel Teapot', quantity: 35, lowStockThreshold: 6 },
  { productId: 'M8ZA3LF5HY', productName: 'Macramé Hanging Planter', quantity: 55, lowStockThreshold: 8 },
  { productId: 'Q4VE9BN7JD', productName: 'Smart Soil Sensor', quantity: 4, lowStockThreshold: 6 },
  { productId: 'R6GY1CK3PM', productName: 'Leather Garden Gloves', quantity: 130, lowStockThreshold: 12 },
  { productId: 'U0LS8HX2TF', productName: 'Cedar Bird Feeder', quantity: 50, lowStockThreshold: 8 },
  { productId: 'W7DN5QJ9AZ', productName: 'Teak Garden Bench', quantity: 20, lowStockThreshold: 5 },
  { productId: 'Y1KM6EW4RS', productName: 'Rain on Glass (Vinyl LP)', quantity: 30, lowStockThreshold: 6 },
]);
