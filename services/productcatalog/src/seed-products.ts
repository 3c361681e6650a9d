/** A catalogue entry as the productcatalog service seeds it into its own store. */
export interface SeedProduct {
  id: string;
  name: string;
  description: string;
  picture: string;
  priceUsd: { units: number; nanos: number };
  categories: string[];
}

/** The Glasshouse catalogue: greenhouse and home goods. The first nine keep Online Boutique's ids. */
export const SEED_PRODUCTS: readonly SeedProduct[] = Object.freeze([
  {
    id: 'OLJCESPC7Z',
    name: 'Glass Terrarium Kit',
    description:
      'A little greenhouse for your windowsill: a brass-framed glass case with layered soil, ' +
      'moss and two hardy succulents ready to plant.',
    picture: '/static/img/products/terrarium-kit.svg',
    priceUsd: { units: 64, nanos: 0 },
    categories: ['decor', 'garden'],
  },
  {
    id: '66VCHSJNUP',
    name: 'Brass Watering Can',
    description:
      'A two-litre can with a long, slender spout that reaches the back of the bench without ' +
      'drowning the seedlings at the front.',
    picture: '/static/img/products/watering-can.svg',
    priceUsd: { units: 42, nanos: 500000000 },
    categories: ['garden'],
  },
  {
    id: '1YMWWN1N4O',
    name: 'Linen Potting Apron',
    description:
      'Stone-washed linen with a deep front pocket for seed packets and twine. It softens with ' +
      'every wash and shrugs off compost.',
    picture: '/static/img/products/linen-apron.svg',
    priceUsd: { units: 34, nanos: 990000000 },
    categories: ['clothing', 'garden'],
  },
  {
    id: 'L9ECAV7KIM',
    name: 'Terracotta Pot Trio',
    description:
      'Three unglazed pots in nesting sizes, fired slowly so the clay breathes and the roots stay cool.',
    picture: '/static/img/products/terracotta-pots.svg',
    priceUsd: { units: 24, nanos: 0 },
    categories: ['garden', 'home'],
  },
  {
    id: '2ZYFJ3GM2N',
    name: 'Bypass Pruning Shears',
    description:
      'Carbon-steel blades that close with a clean, quiet snip, and a spring gentle enough for an ' +
      'afternoon of deadheading roses.',
    picture: '/static/img/products/pruning-shears.svg',
    priceUsd: { units: 29, nanos: 950000000 },
    categories: ['garden', 'outdoor'],
  },
  {
    id: '0PUK6V6EV0',
    name: 'Solar Glass Lantern',
    description:
      'Soaks up the sun on the potting bench by day and glows a warm amber along the path by night.',
    picture: '/static/img/products/glass-lantern.svg',
    priceUsd: { units: 38, nanos: 0 },
    categories: ['outdoor', 'decor'],
  },
  {
    id: 'LS4PSXUNUM',
    name: 'Rubber Garden Boots',
    description:
      'Natural-rubber boots in deep fern green with a grippy sole, for muddy mornings and wet ' +
      'greenhouse floors.',
    picture: '/static/img/products/garden-boots.svg',
    priceUsd: { units: 58, nanos: 0 },
    categories: ['footwear', 'outdoor'],
  },
  {
    id: '9SIQT8TOJO',
    name: 'Wide-Brim Straw Hat',
    description:
      'Hand-woven straw with a sage ribbon band. Wide enough to shade your shoulders while you ' +
      'pick the last tomatoes.',
    picture: '/static/img/products/sun-hat.svg',
    priceUsd: { units: 27, nanos: 500000000 },
    categories: ['accessories', 'clothing'],
  },
  {
    id: '6E92ZMYYFZ',
    name: 'Kitchen Herb Seed Collection',
    description:
      'Basil, chives, coriander and thyme in four paper packets: enough for a sunny sill and a ' +
      'summer of good suppers.',
    picture: '/static/img/products/herb-seeds.svg',
    priceUsd: { units: 12, nanos: 990000000 },
    categories: ['garden', 'kitchen'],
  },
  {
    id: '7HQ2MZP4XC',
    name: 'Glass Plant Mister',
    description:
      'A fine, even mist for ferns and orchids that like their air humid. The brass pump is ' +
      'built to be refilled for years.',
    picture: '/static/img/products/plant-mister.svg',
    priceUsd: { units: 18, nanos: 0 },
    categories: ['garden', 'home'],
  },
  {
    id: 'B3WXK8N1RA',
    name: 'Beeswax Pillar Candle',
    description:
      'Poured from the wax of a neighbouring apiary. It burns slowly and smells faintly of honey ' +
      'and summer meadows.',
    picture: '/static/img/products/beeswax-candle.svg',
    priceUsd: { units: 16, nanos: 500000000 },
    categories: ['home', 'decor'],
  },
  {
    id: 'F5JD0YT6LQ',
    name: 'Greenhouse Field Journal',
    description:
      'A cloth-bound notebook with sowing calendars, grid pages and a pocket for pressed leaves, ' +
      'so every season leaves a record.',
    picture: '/static/img/products/field-journal.svg',
    priceUsd: { units: 22, nanos: 0 },
    categories: ['books'],
  },
  {
    id: 'H9NC4RV2EU',
    name: 'Wildflower Honey',
    description:
      'Raw, unfiltered honey from bees that forage the meadow beside our glasshouse, with a ' +
      'beechwood dipper tied to the jar.',
    picture: '/static/img/products/honey-jar.svg',
    priceUsd: { units: 14, nanos: 990000000 },
    categories: ['kitchen'],
  },
  {
    id: 'K2TP7GS0WB',
    name: 'Enamel Teapot',
    description:
      'Cream enamel with a navy rim, big enough for four cups of mint picked straight from the ' +
      'bed outside the door.',
    picture: '/static/img/products/enamel-teapot.svg',
    priceUsd: { units: 46, nanos: 0 },
    categories: ['kitchen', 'home'],
  },
  {
    id: 'M8ZA3LF5HY',
    name: 'Macramé Hanging Planter',
    description:
      'Knotted cotton cord and a small stoneware bowl that lift a trailing plant into the light ' +
      'and free up the shelf below.',
    picture: '/static/img/products/hanging-planter.svg',
    priceUsd: { units: 26, nanos: 0 },
    categories: ['decor', 'home'],
  },
  {
    id: 'Q4VE9BN7JD',
    name: 'Smart Soil Sensor',
    description:
      'A slim stake that reads moisture, light and temperature, and tells your phone when the ' +
      'fig is thirsty, before the leaves do.',
    picture: '/static/img/products/soil-sensor.svg',
    priceUsd: { units: 39, nanos: 0 },
    categories: ['tech', 'garden'],
  },
  {
    id: 'R6GY1CK3PM',
    name: 'Leather Garden Gloves',
    description:
      'Soft goatskin palms and breathable cotton cuffs that keep rose thorns out and let you ' +
      'still feel a seedling between your fingers.',
    picture: '/static/img/products/garden-gloves.svg',
    priceUsd: { units: 19, nanos: 990000000 },
    categories: ['accessories', 'garden'],
  },
  {
    id: 'U0LS8HX2TF',
    name: 'Cedar Bird Feeder',
    description:
      'A little cedar house with a glass hopper, so you can see when the seed runs low and ' +
      'watch the robins drop by for breakfast.',
    picture: '/static/img/products/bird-feeder.svg',
    priceUsd: { units: 32, nanos: 0 },
    categories: ['outdoor', 'garden'],
  },
  {
    id: 'W7DN5QJ9AZ',
    name: 'Teak Garden Bench',
    description:
      'A two-seater in oiled teak that weathers to a silver grey, made for a cup of tea among ' +
      'the tomatoes.',
    picture: '/static/img/products/garden-bench.svg',
    priceUsd: { units: 229, nanos: 0 },
    categories: ['outdoor', 'home'],
  },
  {
    id: 'Y1KM6EW4RS',
    name: 'Rain on Glass (Vinyl LP)',
    description:
      'Forty minutes of rain pattering on a Victorian glasshouse roof, recorded on a stormy ' +
      'April night and pressed on green vinyl.',
    picture: '/static/img/products/rain-record.svg',
    priceUsd: { units: 27, nanos: 0 },
    categories: ['music'],
  },
]);
