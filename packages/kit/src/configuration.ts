/**
 * Every environment variable Glasshouse reads, with its default and meaning: the source of
 * docs/configuration.md (`npm run config:doc`). A test scans the code and fails when it reads
 * a variable this table does not declare.
 */
import { markdownTable } from './markdown-table.js';
import { SERVICES } from './services.js';

/** Who reads a variable: the kit in every service, one service, the runner, the bench or the tests. */
export type VariableReader =
  | 'every service'
  | 'services with a database'
  | 'productcatalog'
  | 'currency'
  | 'cart'
  | 'recommendation'
  | 'payment'
  | 'email'
  | 'checkout'
  | 'inventory'
  | 'auth'
  | 'frontend'
  | 'loadgen'
  | 'runner'
  | 'fault'
  | 'bench'
  | 'tests';

export interface VariableDeclaration {
  readonly name: string;
  readonly readBy: VariableReader;
  /** The value used when the variable is unset or blank, as a reader would write it. */
  readonly fallback: string;
  readonly meaning: string;
}

const declare = (
  readBy: VariableReader,
  rows: readonly (readonly [name: string, fallback: string, meaning: string])[],
): VariableDeclaration[] => rows.map(([name, fallback, meaning]) => ({ name, readBy, fallback, meaning }));

export const VARIABLES: readonly VariableDeclaration[] = Object.freeze([
  ...declare('every service', [
    [
      '<SERVICE>_ADDR',
      'the port in the service table',
      'Where the service listens (`host:port`, or a bare port) and where the services that call it reach it, e.g. `CURRENCY_ADDR=0.0.0.0:7001`.',
    ],
    [
      '<SERVICE>_ADMIN_ADDR',
      'the admin port in the service table',
      'Where a gRPC service (or loadgen) serves `/metrics`, `/healthz` and `/readyz`.',
    ],
    ['LOG_LEVEL', 'info', 'Lowest level logged: trace, debug, info, warn, error or fatal.'],
    ['RPC_DEADLINE_MS', '2000', 'Deadline of every gRPC call a service makes to another.'],
    [
      'FLAGS_FILE',
      'unset: every failure scenario off',
      'A flags file in flagd’s format (deploy/flags), evaluated in process and re-read when it changes.',
    ],
    [
      'FLAGD_HOST',
      'unset',
      'A flagd daemon whose flags the service syncs and evaluates in process (when `FLAGS_FILE` is unset).',
    ],
    ['FLAGD_PORT', '8015', 'The sync port of that flagd daemon.'],
    [
      'STOP_WITH_STDIN',
      'false',
      'Stop when standard input closes; the runner sets it for each process so none outlives it.',
    ],
    ['OTEL_SERVICE_NAME', 'the service folder', 'The `service.name` of every signal.'],
    ['SERVICE_VERSION', '0.1.0', 'The `service.version` resource attribute.'],
    ['SERVICE_INSTANCE_ID', 'a random UUID', 'The `service.instance.id` resource attribute.'],
    ['DEPLOYMENT_ENVIRONMENT', 'local', 'The `deployment.environment.name` resource attribute.'],
    ['OTEL_SDK_DISABLED', 'false', 'Turns tracing and every instrumentation off; metrics and logs stay.'],
    [
      'OTEL_EXPORTER_OTLP_ENDPOINT',
      'unset: spans are not exported',
      'OTLP/HTTP receiver of the traces (`/v1/traces` is appended).',
    ],
    [
      'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
      'unset',
      'Full URL of the traces receiver; wins over `OTEL_EXPORTER_OTLP_ENDPOINT`.',
    ],
    [
      'OTEL_EXPORTER_OTLP_PROTOCOL',
      'http/protobuf',
      'Encoding of exported spans: `http/protobuf` or `http/json`.',
    ],
    [
      'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL',
      'unset',
      'The same for traces only; wins over `OTEL_EXPORTER_OTLP_PROTOCOL`.',
    ],
    [
      'OTEL_TRACES_SAMPLER',
      'parentbased_always_on',
      'Sampler, read by the OpenTelemetry SDK, e.g. `parentbased_traceidratio`.',
    ],
    ['OTEL_TRACES_SAMPLER_ARG', 'unset', "The sampler's argument, e.g. `0.1` for a ratio sampler."],
    [
      'OTEL_SEMCONV_STABILITY_OPT_IN',
      'http,database',
      'Which stable semantic conventions the instrumentations emit; the kit sets it when unset.',
    ],
  ]),
  ...declare('services with a database', [
    [
      'DATABASE_URL',
      'unset: an embedded PGlite',
      'A `postgres://` server; productcatalog, payment, orders, inventory and auth each own a schema in it and migrate it on start.',
    ],
    ['PGLITE_DATA_DIR', 'var/pgdata', 'Folder of the embedded databases, one subfolder a service.'],
  ]),
  ...declare('productcatalog', [
    [
      'CATALOG_CACHE_TTL_MS',
      '5000',
      'How long the product list is served from memory; 0 turns the cache off.',
    ],
  ]),
  ...declare('currency', [
    ['CURRENCY_RATES_FILE', 'services/currency/data/rates.json', 'The EUR-based exchange rates, as JSON.'],
  ]),
  ...declare('cart', [
    ['REDIS_URL', 'unset: carts in memory', 'A `redis://` server keeping the carts.'],
    ['CART_TTL_SECONDS', '604800 (7 days)', 'How long an untouched cart is kept.'],
  ]),
  ...declare('recommendation', [
    [
      'RECOMMENDATION_CACHE_TTL_MS',
      '60000',
      "How long the catalog's product list is kept before it is read again.",
    ],
    ['RECOMMENDATION_COUNT', '4', 'Most products in one answer (1 to 20).'],
  ]),
  ...declare('payment', [
    ['PAYMENT_LEDGER_CAPACITY', '100000', 'Charges remembered for idempotent retries and voids.'],
  ]),
  ...declare('email', [
    [
      'SMTP_URL',
      'unset: confirmations are logged',
      'An `smtp://` or `smtps://` server that sends the order confirmations.',
    ],
    ['EMAIL_FROM', '`Glasshouse <shop@glasshouse.local>`', 'Sender of the confirmations.'],
    ['EMAIL_SEND_TIMEOUT_MS', '10000', 'How long one SMTP delivery may take.'],
  ]),
  ...declare('checkout', [
    [
      'CHECKOUT_EMAIL_DEADLINE_MS',
      '1000',
      'How long the confirmation may take; past it the order stands without one.',
    ],
  ]),
  ...declare('inventory', [
    ['INVENTORY_GAUGE_REFRESH_MS', '15000', 'How often the stock gauges are read again in full.'],
    [
      'INVENTORY_RESTOCK_INTERVAL_MS',
      '180000',
      'How often low products are restocked; 0 turns deliveries off.',
    ],
    [
      'INVENTORY_RESERVATION_TTL_MS',
      '600000',
      'Age past which a stock reservation neither committed nor released (its checkout died) goes back to stock.',
    ],
    [
      'INVENTORY_RESERVATION_EXPIRY_INTERVAL_MS',
      '30000',
      'How often inventory looks for expired reservations.',
    ],
  ]),
  ...declare('auth', [
    ['AUTH_SESSION_TTL_SECONDS', '86400 (1 day)', 'How long a session token stays valid after sign-in.'],
    ['AUTH_PASSWORD_MIN_LENGTH', '8', 'Fewest characters a new password may have (1 to 128).'],
    [
      'AUTH_LOCKOUT_ACCOUNT_FAILURES',
      '5',
      'Failed sign-ins of one account within the window after which it is locked out.',
    ],
    [
      'AUTH_LOCKOUT_ADDRESS_FAILURES',
      '20',
      'Failed sign-ins from one client address, whatever the accounts, within the window after which it is locked out.',
    ],
    [
      'AUTH_LOCKOUT_WINDOW_SECONDS',
      '900 (15 minutes)',
      'How long a failed sign-in counts; a lockout ends when its oldest counted failure leaves the window.',
    ],
    [
      'GLASSHOUSE_ADMIN_TOKEN',
      'unset: the token in `ADMIN_TOKEN_FILE`',
      'The bootstrap token: acts as an admin (SetRole makes the first admin with it).',
    ],
    [
      'ADMIN_TOKEN_FILE',
      'var/admin-token',
      'Where the bootstrap token is kept; made on first start when missing.',
    ],
  ]),
  ...declare('frontend', [
    [
      'GLASSHOUSE_ADMIN_TOKEN',
      'unset: the token in `ADMIN_TOKEN_FILE`',
      'The admin token that switching a failure scenario needs (the admin page, its API and `npm run fault`).',
    ],
    [
      'ADMIN_TOKEN_FILE',
      'var/admin-token',
      'Where the admin token is kept; made on first start with 32 random bytes, readable by its owner only.',
    ],
    [
      'FLAGS_AUDIT_FILE',
      'var/flags/audit.jsonl',
      'Append-only JSON lines, one per accepted flag change: who, what, when, old and new value.',
    ],
    ['DEFAULT_CURRENCY', 'USD', 'Currency of a shopper who has not chosen one.'],
    [
      'SIGNIN_RATE_LIMIT',
      '10',
      'Sign-in and sign-up posts a client address may send a minute (429 past it); 0 turns the limit off.',
    ],
    [
      'CHECKOUT_RATE_LIMIT',
      '600',
      'Checkout posts a client address may send a minute (429 past it); 0 turns the limit off. The load generator sends all its shoppers from one address.',
    ],
    [
      'TRUST_PROXY',
      'unset: none',
      '`true`, or comma-separated addresses/CIDRs of the proxies whose X-Forwarded-For and X-Forwarded-Proto the frontend believes (client address for rate limits and lockout; Secure cookies).',
    ],
  ]),
  ...declare('loadgen', [
    ['LOADGEN_TARGET_URL', '`http://<FRONTEND_ADDR>`', 'The shop the shoppers visit.'],
    ['LOADGEN_SHOPPERS', '5', 'Simulated shoppers, each with a session of its own (0 to 1000).'],
    ['LOADGEN_RATE', '0', 'Requests a second across all shoppers; 0 is a closed loop paced by think time.'],
    ['LOADGEN_THINK_MS', '1000', "Mean pause between a shopper's requests."],
    [
      'LOADGEN_INVALID_RATE',
      '0.02',
      'Share of checkouts with an invalid card or address, which the shop must refuse with a 400.',
    ],
    ['LOADGEN_DURATION_S', '0', 'Stop after this many seconds; 0 runs until stopped.'],
    ['LOADGEN_ITERATIONS', '0', 'Stop after this many journeys; 0 runs until stopped.'],
    ['LOADGEN_RAMP_S', '0', 'Seconds over which the shoppers set out.'],
    [
      'LOADGEN_JOURNEYS',
      'every journey',
      'Comma-separated journeys to walk (home, browse, cart, checkout, …).',
    ],
    ['LOADGEN_SEED', 'unset: random', "Seeds the shoppers' choices for a repeatable run."],
  ]),
  ...declare('runner', [
    [
      'RUN_MODE',
      'threads',
      '`threads`: every service a worker thread of one process; `processes`: a process each, as containers run them.',
    ],
    ['RUN_LOG_LEVEL', 'info', 'Lowest level the runner shows in the terminal.'],
    ['RUN_THREAD_YOUNG_MB', '32', 'Young generation of each service thread, in MB (1 to 256).'],
    ['RUN_THREAD_HEAP_MB', '1024', 'Heap a service thread may not outgrow without being restarted, in MB.'],
    ['LOADGEN', 'on', '`off` runs the shop without the load generator.'],
    [
      'SCRAPE_INTERVAL',
      '15s',
      'How often the embedded Prometheus scrapes every service (a Prometheus duration).',
    ],
    ['PROMETHEUS_ADDR', '127.0.0.1:9090', 'Where the embedded Prometheus listens.'],
    ['ALERTMANAGER_ADDR', '127.0.0.1:9093', 'Where the embedded Alertmanager listens.'],
    ['NO_COLOR', 'unset', 'Any value turns colours off in the terminal.'],
  ]),
  ...declare('fault', [
    [
      'GLASSHOUSE_ADMIN_TOKEN',
      'the token in var/admin-token',
      'Admin token the fault switch sends when `--token` is not given (`FLAGS_FILE` names the flags it edits).',
    ],
  ]),
  ...declare('bench', [
    ['BENCH_QUICK', 'false', 'A short run of every phase, to check the bench itself.'],
    ['BENCH_CONCURRENCY', '32', 'Clients of the HTTP phases.'],
    ['BENCH_GRPC_CONCURRENCY', '2 × BENCH_CONCURRENCY', 'Clients of the gRPC phases.'],
    ['BENCH_CHECKOUT_CONCURRENCY', '10', 'Shoppers of the checkout phase.'],
    ['BENCH_WARMUP_SECONDS', '10', 'Least warm-up of a phase.'],
    ['BENCH_MAX_WARMUP_SECONDS', '60', 'Most warm-up of a phase, while its CPU per operation still falls.'],
    ['BENCH_SECONDS', '10', 'Measured seconds of a phase.'],
    ['BENCH_TELEMETRY_ROUNDS', '2', 'Rounds of the telemetry on/off comparison.'],
    ['BENCH_OUTPUT', 'bench/results/latest.json', 'Where the results are written.'],
    ['BENCH_TIMEOUT_SECONDS', '1800', 'The whole bench gives up after this.'],
    [
      'BENCH_PROFILE_DIR',
      'unset: profiles are deleted',
      'Keeps the CPU profiles of `bench/src/profile-home.ts` here.',
    ],
    ['TELEMETRY_CPU_PAGES', '1000', 'Home pages per round of `bench/src/telemetry-cpu.ts`.'],
    ['TELEMETRY_CPU_CONVERTS', '10000', 'Convert calls per round.'],
    ['TELEMETRY_CPU_ORDERS', '0', 'Orders per round.'],
    ['TELEMETRY_CPU_ROUNDS', '3', 'Rounds per lane.'],
    [
      'TELEMETRY_CPU_WARMUP',
      'four rounds of operations',
      'Operations each lane runs before its first round.',
    ],
    ['TELEMETRY_CPU_LAYOUT', 'processes', 'Shops as `processes` or `threads`.'],
    ['TELEMETRY_CPU_PROFILE', 'unset', 'Comma-separated services to CPU-profile.'],
    ['TELEMETRY_CPU_PROFILE_DIR', '`<tmp>/glasshouse-telemetry-cpu`', 'Where those profiles go.'],
    ['TELEMETRY_CPU_PERF', 'unset', 'A file: `perf record -a` over the rounds goes there.'],
    ['TELEMETRY_CPU_BASELINE', 'unset', 'A checkout of another revision to compare against.'],
  ]),
  ...declare('tests', [
    ['TEST_POSTGRES_URL', 'postgres://postgres@127.0.0.1:5432/test', 'The PostgreSQL the tests use.'],
    ['TEST_REDIS_URL', 'redis://127.0.0.1:6379', 'The Redis the tests use.'],
    [
      'GLASSHOUSE_CACHE_DIR',
      '/var/cache/glasshouse',
      'Downloads the compose tests keep across runs (root file system, Node and npm tarballs).',
    ],
    [
      'GLASSHOUSE_E2E_CONTEXT',
      'unset: the committed tree (HEAD)',
      'Build context of the shop image in the compose tests.',
    ],
  ]),
]);

/** The declaration of `name`; `<SERVICE>_ADDR`-style rows stand for every service's variable. */
export function declarationOf(name: string): VariableDeclaration | undefined {
  const perService = SERVICES.find((s) => name.startsWith(`${s.name.toUpperCase()}_`));
  const generic = perService ? `<SERVICE>${name.slice(perService.name.length)}` : name;
  return VARIABLES.find((v) => v.name === name || v.name === generic);
}

const GROUP_TITLES: Readonly<Record<VariableReader, string>> = {
  'every service': 'Every service (the kit)',
  'services with a database': 'productcatalog, payment, orders, inventory and auth',
  productcatalog: 'productcatalog',
  currency: 'currency',
  cart: 'cart',
  recommendation: 'recommendation',
  payment: 'payment',
  email: 'email',
  checkout: 'checkout',
  inventory: 'inventory',
  auth: 'auth',
  frontend: 'frontend',
  loadgen: 'loadgen',
  runner: 'The runner (`npm start`)',
  fault: 'The fault switch (`npm run fault`)',
  bench: 'The benchmark (`npm run bench`)',
  tests: 'The tests (`npm test`)',
};

/** docs/configuration.md: every variable by who reads it, with its default and meaning. */
export function renderConfigurationDoc(): string {
  const groups = [...new Set(VARIABLES.map((v) => v.readBy))];
  const sections = groups.map((group) =>
    [
      `## ${GROUP_TITLES[group]}`,
      '',
      ...markdownTable(
        ['variable', 'default', 'meaning'],
        VARIABLES.filter((v) => v.readBy === group).map((v) => [`\`${v.name}\``, v.fallback, v.meaning]),
      ),
    ].join('\n'),
  );
  return [
    '# Configuration',
    '',
    'Generated from `packages/kit/src/configuration.ts` by `npm run config:doc`; a test fails when this',
    'page drifts from it, and when code reads a variable it does not declare.',
    '',
    "Each process reads its variables once, at start, through the kit's typed readers: a blank value",
    'counts as unset, and a value that cannot be read stops the process with a message naming the',
    'variable. `<SERVICE>` stands for a name of the service table in capitals (`CURRENCY_ADDR`).',
    '',
    ...sections.flatMap((section) => [section, '']),
  ].join('\n');
}
