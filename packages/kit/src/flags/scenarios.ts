/**
 * The failures a trainer can switch on: one flagd flag each, off by default. The service named
 * is where the failure happens (its hook reads the flag); the parameters are what the control
 * accepts, each with its bounds. The answer key (tools/faults) says how each one shows.
 */

/** A number a scenario takes, with the bounds the control enforces. */
export interface ScenarioParameter {
  readonly fallback: number;
  readonly min: number;
  readonly max: number;
  readonly unit: string;
  readonly meaning: string;
}

export interface ScenarioSpec {
  /** The service whose code fails; `every service` for one the kit hooks everywhere. */
  readonly service: string;
  readonly summary: string;
  readonly parameters: Readonly<Record<string, ScenarioParameter>>;
  /** Text parameters (a product id, a route); free text within a pattern. */
  readonly targets?: Readonly<Record<string, { fallback: string; pattern: RegExp; meaning: string }>>;
  /** Why it cannot be switched on yet, when its hook waits for another issue. */
  readonly pending?: string;
}

const rate = (fallback: number, meaning: string): ScenarioParameter => ({
  fallback,
  min: 0,
  max: 1,
  unit: 'ratio',
  meaning,
});
const delayMs = (fallback: number, meaning: string): ScenarioParameter => ({
  fallback,
  min: 0,
  max: 60_000,
  unit: 'ms',
  meaning,
});

export const SCENARIOS = {
  'payment-failure': {
    service: 'payment',
    summary: 'The card processor refuses a share of the charges with UNAVAILABLE.',
    parameters: { rate: rate(0.5, 'Share of the charges that fail.') },
  },
  'payment-unreachable': {
    service: 'payment',
    summary: 'The payment service holds every charge past the caller’s deadline, as if unreachable.',
    parameters: { 'delay-ms': delayMs(5000, 'How long each charge hangs before it is answered.') },
  },
  'catalog-slow': {
    service: 'productcatalog',
    summary: 'Every product lookup and listing waits before answering.',
    parameters: { 'delay-ms': delayMs(1500, 'Added latency per call.') },
  },
  'cart-store-outage': {
    service: 'cart',
    summary: 'The cart store refuses every read and write, as if Redis were down.',
    parameters: { rate: rate(1, 'Share of the cart operations that fail.') },
  },
  'currency-errors': {
    service: 'currency',
    summary: 'A share of the conversions fail with INTERNAL.',
    parameters: { rate: rate(0.5, 'Share of the conversions that fail.') },
  },
  'recommendation-leak': {
    service: 'recommendation',
    summary: 'The recommendation cache keeps a copy of every answer and never lets go.',
    parameters: {
      'kb-per-call': { fallback: 512, min: 1, max: 65_536, unit: 'KiB', meaning: 'Memory kept per call.' },
    },
  },
  'ad-cpu-burn': {
    service: 'ad',
    summary: 'The ad service spins the CPU synchronously every half second, blocking its event loop.',
    parameters: { 'block-ms': delayMs(300, 'How long each burn blocks the event loop.') },
  },
  'email-backlog': {
    service: 'email',
    summary: 'Each confirmation email takes long to send, so sends queue up.',
    parameters: { 'delay-ms': delayMs(3000, 'How long each send takes.') },
  },
  'orders-db-slow': {
    service: 'orders',
    summary: 'Saving an order runs a real slow query (pg_sleep) before the insert.',
    parameters: { 'delay-ms': delayMs(800, 'How long the slow query sleeps.') },
  },
  'orders-fail-after-charge': {
    service: 'orders',
    summary: 'Saving the order fails after the card was charged, so checkout must void the charge.',
    parameters: { rate: rate(1, 'Share of the orders that fail to save.') },
  },
  'product-drained': {
    service: 'inventory',
    summary: 'One product reads as out of stock: reservations of it fail and its stock level is 0.',
    parameters: {},
    targets: {
      product: {
        fallback: 'OLJCESPC7Z',
        pattern: /^[A-Z0-9]{1,32}$/,
        meaning: 'The product id to drain.',
      },
    },
  },
  'frontend-route-errors': {
    service: 'frontend',
    summary: 'One page route answers 500 for a share of its requests.',
    parameters: { rate: rate(1, 'Share of the route’s requests that fail.') },
    targets: {
      route: {
        fallback: '/product/:id',
        pattern: /^\/[A-Za-z0-9/:_-]*$/,
        meaning: 'The route (as in http_route) that fails.',
      },
    },
  },
  'traffic-surge': {
    service: 'loadgen',
    summary: 'The load generator multiplies its shoppers.',
    parameters: {
      multiplier: { fallback: 5, min: 1, max: 50, unit: '×', meaning: 'How many times the usual shoppers.' },
    },
  },
  'trace-export-failure': {
    service: 'every service',
    summary: 'Finished spans are dropped instead of exported, as if the collector refused them.',
    parameters: { rate: rate(1, 'Share of the span batches that fail to export.') },
  },
  'login-brute-force': {
    service: 'loadgen',
    summary:
      'The load generator guesses the passwords of three accounts through the sign-in form, claiming three addresses.',
    parameters: {
      'attempts-per-second': {
        fallback: 5,
        min: 1,
        max: 200,
        unit: '1/s',
        meaning: 'Guessed sign-ins a second (the shop’s own rate limits and lockouts refuse most).',
      },
    },
  },
} as const satisfies Readonly<Record<string, ScenarioSpec>>;

export type ScenarioName = keyof typeof SCENARIOS;

/** The parameter names of a scenario. */
export type ParameterOf<S extends ScenarioName> = keyof (typeof SCENARIOS)[S]['parameters'] & string;

export const SCENARIO_NAMES = Object.freeze(Object.keys(SCENARIOS) as ScenarioName[]);

export function isScenarioName(name: string): name is ScenarioName {
  return Object.hasOwn(SCENARIOS, name);
}

/** The spec of a scenario, widened for code that walks every scenario. */
export function scenarioSpec(name: ScenarioName): ScenarioSpec {
  return SCENARIOS[name];
}
