/**
 * What simulated shoppers do, as data: the journeys and their weights (Online Boutique's load
 * generator, plus order history), the catalogue's product ids, the currencies, and the form data
 * a shopper types. The Node load generator and the k6 script (deploy/k6/shop.ts) both read this
 * file, so it imports nothing and uses nothing of Node.
 */

/** A source of numbers in [0, 1), injected so that tests and seeded runs repeat exactly. */
export type Random = () => number;

/** The twenty products of the catalogue's seed (services/productcatalog), copied as data. */
export const PRODUCT_IDS: readonly string[] = Object.freeze(
  (
    'OLJCESPC7Z 66VCHSJNUP 1YMWWN1N4O L9ECAV7KIM 2ZYFJ3GM2N 0PUK6V6EV0 LS4PSXUNUM ' +
    '9SIQT8TOJO 6E92ZMYYFZ 7HQ2MZP4XC B3WXK8N1RA F5JD0YT6LQ H9NC4RV2EU K2TP7GS0WB ' +
    'M8ZA3LF5HY Q4VE9BN7JD R6GY1CK3PM U0LS8HX2TF W7DN5QJ9AZ Y1KM6EW4RS'
  ).split(' '),
);

export const CURRENCIES: readonly string[] = Object.freeze(['EUR', 'USD', 'JPY', 'CAD', 'GBP', 'TRY']);

/** Form field names as Online Boutique's frontend reads them. */
export const CURRENCY_FIELDS = ['currency_code'] as const;
export const CART_FIELDS = ['product_id', 'quantity'] as const;
export const CHECKOUT_FIELDS = [
  'email',
  'street_address',
  'zip_code',
  'city',
  'state',
  'country',
  'credit_card_number',
  'credit_card_expiration_month',
  'credit_card_expiration_year',
  'credit_card_cvv',
] as const;

export type FieldName =
  (typeof CURRENCY_FIELDS)[number] | (typeof CART_FIELDS)[number] | (typeof CHECKOUT_FIELDS)[number];

export type JourneyName =
  'index' | 'setCurrency' | 'browseProduct' | 'addToCart' | 'viewCart' | 'checkout' | 'orderHistory';

/** One request of a journey; redirects it causes are followed as part of it. */
export interface StepTemplate {
  /** The `step` label of the load generator's metrics. */
  readonly name: string;
  readonly method: 'GET' | 'POST';
  /** The path, with `{field}` placeholders filled from the journey's choices. */
  readonly path: string;
  readonly fields: readonly FieldName[];
  /** The answer depends on the checkout data: 200 when valid, 400 when not. */
  readonly placesOrder: boolean;
}

export interface Journey {
  readonly name: JourneyName;
  readonly weight: number;
  readonly steps: readonly StepTemplate[];
}

const step = (
  name: string,
  method: 'GET' | 'POST',
  path: string,
  fields: readonly FieldName[] = [],
): StepTemplate => Object.freeze({ name, method, path, fields, placesOrder: name === 'placeOrder' });

const home = step('home', 'GET', '/');
const chooseCurrency = step('setCurrency', 'POST', '/setCurrency', CURRENCY_FIELDS);
const viewProduct = step('viewProduct', 'GET', '/product/{product_id}');
const addToCart = step('addToCart', 'POST', '/cart', CART_FIELDS);
const viewCart = step('viewCart', 'GET', '/cart');
const placeOrder = step('placeOrder', 'POST', '/cart/checkout', CHECKOUT_FIELDS);
const viewOrders = step('viewOrders', 'GET', '/orders');

const journey = (name: JourneyName, weight: number, steps: StepTemplate[]): Journey =>
  Object.freeze({ name, weight, steps: Object.freeze(steps) });

/** The journeys and how often each is chosen (weights as in Online Boutique's locustfile). */
export const JOURNEYS: readonly Journey[] = Object.freeze([
  journey('index', 1, [home]),
  journey('setCurrency', 2, [chooseCurrency]),
  journey('browseProduct', 10, [viewProduct]),
  journey('addToCart', 2, [viewProduct, addToCart]),
  journey('viewCart', 3, [viewCart]),
  journey('checkout', 1, [viewProduct, addToCart, placeOrder]),
  journey('orderHistory', 1, [viewOrders]),
]);

export const JOURNEY_NAMES: readonly JourneyName[] = Object.freeze(JOURNEYS.map((j) => j.name));

/** A seeded generator (mulberry32): the same seed gives the same shoppers. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const between = (random: Random, min: number, max: number): number =>
  min + Math.floor(random() * (max - min + 1));

function pick<T>(random: Random, list: readonly T[]): T {
  const item = list[Math.floor(random() * list.length)];
  if (item === undefined) throw new Error('cannot pick from an empty list');
  return item;
}

/** A journey chosen by weight. */
export function pickJourney(journeys: readonly Journey[], random: Random): Journey {
  const total = journeys.reduce((sum, j) => sum + j.weight, 0);
  let point = random() * total;
  for (const j of journeys) {
    point -= j.weight;
    if (point < 0) return j;
  }
  return pick(random, journeys);
}

/** Requests per journey on average, weighted: turns a request rate into a journey rate. */
export function meanStepsPerJourney(journeys: readonly Journey[]): number {
  const total = journeys.reduce((sum, j) => sum + j.weight, 0);
  return journeys.reduce((sum, j) => sum + j.weight * j.steps.length, 0) / total;
}

/** The Luhn check digit that completes `payload`. */
function luhnCheckDigit(payload: string): number {
  let sum = 0;
  for (let i = 0; i < payload.length; i++) {
    let digit = payload.charCodeAt(payload.length - 1 - i) - 48;
    if (i % 2 === 0) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return (10 - (sum % 10)) % 10;
}

export function passesLuhn(digits: string): boolean {
  return /^\d{2,}$/.test(digits) && luhnCheckDigit(digits.slice(0, -1)) === Number(digits.slice(-1));
}

/** A 16-digit VISA or MasterCard number that passes the Luhn check. */
export function cardNumber(random: Random): string {
  const prefixes = ['4', '4', '51', '52', '53', '54', '55', String(between(random, 2221, 2720))];
  let payload = pick(random, prefixes);
  while (payload.length < 15) payload += String(between(random, 0, 9));
  return payload + String(luhnCheckDigit(payload));
}

const FIRST_NAMES = 'Ada Bruno Chiara Deniz Emeka Freya Hiro Ines Jonas Leila Mateo Noor'.split(' ');
const LAST_NAMES =
  'Almeida Brandt Costa Dubois Eriksen Fischer Kaya Moreau Nakamura Okafor Rossi Silva'.split(' ');
// Numeric zip codes without a leading zero: the API carries the zip code as an int32.
const PLACES = (
  [
    ['Amphitheatre Parkway', 'Mountain View', 'CA', 'United States', '94043'],
    ['Pike Street', 'Seattle', 'WA', 'United States', '98101'],
    ['Rue de la République', 'Lyon', 'Rhône', 'France', '69002'],
    ['Gartenstraße', 'Berlin', 'Berlin', 'Germany', '10115'],
    ['Midosuji', 'Osaka', 'Osaka', 'Japan', '5300001'],
    ['Bahariye Caddesi', 'Istanbul', 'Istanbul', 'Turkey', '34710'],
    ['Calle de Alcalá', 'Madrid', 'Madrid', 'Spain', '28013'],
    ['George Street', 'Sydney', 'NSW', 'Australia', '2000'],
    ['Brigade Road', 'Bengaluru', 'Karnataka', 'India', '560001'],
    ['Prinsengracht', 'Amsterdam', 'North Holland', 'Netherlands', '1016'],
  ] as const
).map(([street, city, state, country, zip]) => ({ street, city, state, country, zip }));
const QUANTITIES = [1, 1, 1, 1, 2, 2, 3, 5];

/** How a deliberately bad checkout is bad; each must be refused with 400. */
export type InvalidCheckout = 'bad_luhn' | 'expired_card' | 'empty_city';
export const INVALID_CHECKOUTS: readonly InvalidCheckout[] = ['bad_luhn', 'expired_card', 'empty_city'];

export interface ChoiceOptions {
  /** Share of checkouts with a bad card or address, in [0, 1]. */
  readonly invalidRate: number;
  /** The current year: valid cards expire after it, expired ones before it. */
  readonly year: number;
}

/** What one shopper picks and types during one journey. */
export interface ShopperChoices {
  readonly values: Readonly<Record<FieldName, string>>;
  readonly invalid: InvalidCheckout | undefined;
}

export function chooseValues(random: Random, options: ChoiceOptions): ShopperChoices {
  const first = pick(random, FIRST_NAMES);
  const last = pick(random, LAST_NAMES);
  const place = pick(random, PLACES);
  const invalid = random() < options.invalidRate ? pick(random, INVALID_CHECKOUTS) : undefined;
  const valid = cardNumber(random);
  const wrongCheckDigit = (Number(valid.slice(-1)) + between(random, 1, 9)) % 10;
  const expiryYear =
    invalid === 'expired_card' ? options.year - between(random, 1, 4) : options.year + between(random, 1, 5);
  // Reserved example domains: no confirmation can reach a real person.
  const domain = `example.${pick(random, ['com', 'org', 'net'])}`;
  const values: Record<FieldName, string> = {
    product_id: pick(random, PRODUCT_IDS),
    quantity: String(pick(random, QUANTITIES)),
    currency_code: pick(random, CURRENCIES),
    email: `${first}.${last}${between(random, 1, 99)}@${domain}`.toLowerCase(),
    street_address: `${between(random, 1, 999)} ${place.street}`,
    zip_code: place.zip,
    city: invalid === 'empty_city' ? '' : place.city,
    state: place.state,
    country: place.country,
    credit_card_number: invalid === 'bad_luhn' ? valid.slice(0, -1) + String(wrongCheckDigit) : valid,
    credit_card_expiration_month: String(between(random, 1, 12)),
    credit_card_expiration_year: String(expiryYear),
    credit_card_cvv: String(between(random, 100, 999)),
  };
  return { values, invalid };
}

const EMPTY_VALUES = Object.fromEntries(
  [...CURRENCY_FIELDS, ...CART_FIELDS, ...CHECKOUT_FIELDS].map((field) => [field, '']),
) as Record<FieldName, string>;

/** A step made concrete: the request to send and the answers that mean the shop behaved. */
export interface PlannedRequest {
  readonly journey: JourneyName;
  readonly step: string;
  readonly method: 'GET' | 'POST';
  /** The path template, e.g. `/product/{product_id}`: a low-cardinality name for the request. */
  readonly route: string;
  readonly path: string;
  readonly form: Readonly<Record<string, string>> | undefined;
  /** Final statuses that are the shop's right answer (409: out of stock, a refusal on purpose). */
  readonly expected: readonly number[];
  readonly placesOrder: boolean;
  readonly invalid: InvalidCheckout | undefined;
}

export interface JourneyPlan {
  readonly journey: JourneyName;
  readonly requests: readonly PlannedRequest[];
}

function materialise(template: StepTemplate, journey: JourneyName, choices: ShopperChoices): PlannedRequest {
  const { values } = choices;
  const path = template.path.replace(/\{(\w+)\}/g, (_, field: FieldName) =>
    encodeURIComponent(values[field] ?? ''),
  );
  const form = template.fields.length
    ? Object.fromEntries(template.fields.map((field) => [field, values[field]]))
    : undefined;
  const invalid = template.placesOrder ? choices.invalid : undefined;
  return {
    journey,
    step: template.name,
    method: template.method,
    route: template.path,
    path,
    form,
    expected: template.placesOrder ? [invalid ? 400 : 200, 409] : [200],
    placesOrder: template.placesOrder,
    invalid,
  };
}

/** The requests of one journey, with one set of choices shared by its steps. */
export function planJourney(journey: Journey, random: Random, options: ChoiceOptions): JourneyPlan {
  const choices = chooseValues(random, options);
  return {
    journey: journey.name,
    requests: journey.steps.map((template) => materialise(template, journey.name, choices)),
  };
}

const emptyCart = step('emptyCart', 'POST', '/cart/empty');

/**
 * What a shopper does next after an answer, besides the journey's own steps: an order refused for
 * want of stock leaves a cart that would be refused again, so the shopper empties it.
 */
export function followUp(request: PlannedRequest, status: number | undefined): PlannedRequest | undefined {
  if (!request.placesOrder || status !== 409) return undefined;
  return materialise(emptyCart, request.journey, { values: EMPTY_VALUES, invalid: undefined });
}

export type CheckoutResult = 'placed' | 'declined' | 'out_of_stock' | 'failed';
export const CHECKOUT_RESULTS: readonly CheckoutResult[] = ['placed', 'declined', 'out_of_stock', 'failed'];

/** What became of an order: refused bad data is `declined`, anything unplanned `failed`. */
export function checkoutResult(request: PlannedRequest, status: number | undefined): CheckoutResult {
  if (status === 200) return 'placed';
  if (status === 409) return 'out_of_stock';
  if (status === 400 && request.invalid) return 'declined';
  return 'failed';
}
