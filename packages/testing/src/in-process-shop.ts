import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { createAdService } from '@glasshouse/ad';
import { AUTH_SCHEMA, authMigrations, createAuthService, readAuthConfig } from '@glasshouse/auth';
import { createCartService, readCartConfig } from '@glasshouse/cart';
import type { CheckoutDependencies } from '@glasshouse/checkout';
import { checkoutClients, createCheckoutService, readCheckoutConfig } from '@glasshouse/checkout';
import { createCurrencyService, readCurrencyConfig } from '@glasshouse/currency';
import { createEmailService, readEmailConfig } from '@glasshouse/email';
import type { Backends } from '@glasshouse/frontend';
import { frontendBackends } from '@glasshouse/frontend';
import {
  INVENTORY_SCHEMA,
  createInventoryService,
  inventoryMigrations,
  readInventoryConfig,
} from '@glasshouse/inventory';
import type {
  Environment,
  FeatureFlags,
  Logger,
  ServiceClientFactory,
  ServiceRuntime,
} from '@glasshouse/kit';
import {
  FixedFeatureFlags,
  GrpcServer,
  ServiceMetrics,
  createLogger,
  envReader,
  readRpcDeadlineMs,
} from '@glasshouse/kit';
import { ORDERS_SCHEMA, createOrdersService, orderMigrations } from '@glasshouse/orders';
import type { ChargeLedger } from '@glasshouse/payment';
import { createPaymentService, readPaymentConfig } from '@glasshouse/payment';
import {
  CATALOG_SCHEMA,
  catalogMigrations,
  createCatalogService,
  readCatalogConfig,
} from '@glasshouse/productcatalog';
import { createRecommendationService, readRecommendationConfig } from '@glasshouse/recommendation';
import { createShippingService } from '@glasshouse/shipping';
import type { ShopClients, ShopService } from './shop-clients.js';
import { dialer, shopClients } from './shop-clients.js';
import { openTestCartStore, openTestDatabase } from './shop-stores.js';

export interface InProcessShopOptions {
  /** Real Postgres for catalog, orders and inventory (unique schemas, dropped on stop); else PGlite. */
  databaseUrl?: string;
  /** Real Redis for carts (a unique key prefix, deleted on stop); else memory. */
  redisUrl?: string;
  /** The clock payment judges card expiry by. */
  now?: () => Date;
  /** Deadline of every client the shop makes; else RPC_DEADLINE_MS of `env`, which the shop sets to 5 s. */
  deadlineMs?: number;
  logLevel?: string;
  /**
   * The services' environment, read by their own config readers as main.ts reads it. Unless this
   * says otherwise the shop turns the catalog's cache and the supplier's deliveries off, and gives
   * calls 5 s (RPC_DEADLINE_MS) for a busy test machine.
   */
  env?: Environment;
  /** The failure scenarios every service of the shop reads; all off by default. */
  flags?: FeatureFlags;
  /** Changes what checkout calls, e.g. to make one step fail. */
  checkoutDependencies?: (dependencies: CheckoutDependencies) => CheckoutDependencies;
}

/** Every gRPC service of the shop, served from this process on ports of its own. */
export interface InProcessShop {
  readonly addresses: Readonly<Record<ShopService, string>>;
  /** Clients of every service, for the test to call. */
  readonly clients: ShopClients;
  /** The charges the payment service made. */
  readonly ledger: ChargeLedger;
  /** Every line every service logged (JSON), in order. */
  readonly logs: readonly string[];
  /** Auth's bootstrap token (GLASSHOUSE_ADMIN_TOKEN of `env`, else random): acts as an admin. */
  readonly bootstrapToken: string;
  metricsOf(service: ShopService): ServiceMetrics;
  /** New clients of every service, measured in `metrics`; closed when the shop stops. */
  connect(metrics: ServiceMetrics): ShopClients;
  /** A client factory over the shop's addresses, measured in `metrics`, as a service's runtime has. */
  dial(metrics: ServiceMetrics): ServiceClientFactory;
  /** Stops one service's server (its port then refuses calls). */
  stopService(service: ShopService): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the whole shop in this process: each service built by its own wiring, on real gRPC servers. */
export async function startInProcessShop(options: InProcessShopOptions = {}): Promise<InProcessShop> {
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line.trim()) logs.push(line);
      done();
    },
  });
  // No supplier deliveries unless a test asks: they would change stock levels a test counts.
  const env = envReader({
    CATALOG_CACHE_TTL_MS: '0',
    INVENTORY_RESTOCK_INTERVAL_MS: '0',
    RPC_DEADLINE_MS: '5000',
    // Never var/admin-token of the working tree: each test shop has a bootstrap token of its own.
    GLASSHOUSE_ADMIN_TOKEN: randomBytes(32).toString('hex'),
    ...options.env,
  });
  const authConfig = readAuthConfig(env);
  const deadlineMs = options.deadlineMs ?? readRpcDeadlineMs(env);
  const flags = options.flags ?? new FixedFeatureFlags();
  const metrics = new Map<ShopService, ServiceMetrics>();
  const servers = new Map<ShopService, GrpcServer>();
  const stopped = new Map<ShopService, Promise<void>>();
  const addresses: Partial<Record<ShopService, string>> = {};
  const opened: { close(): void }[] = [];
  const cleanups: (() => Promise<void> | void)[] = [];
  const dial = (clientMetrics: ServiceMetrics) =>
    dialer({ addresses, metrics: clientMetrics, deadlineMs, opened });

  const serve = async (
    name: ShopService,
    setup: (runtime: ServiceRuntime & { server: GrpcServer; logger: Logger }) => Promise<void> | void,
  ): Promise<void> => {
    const serviceMetrics = new ServiceMetrics({ defaultMetrics: false });
    const logger = createLogger({ serviceName: name, level: options.logLevel ?? 'info', destination: sink });
    metrics.set(name, serviceMetrics);
    const server = new GrpcServer({ logger, metrics: serviceMetrics });
    await setup({
      server,
      logger,
      metrics: serviceMetrics,
      // The test shop has no admin port: its tests call the services, not their probes.
      addReadinessCheck: () => undefined,
      onShutdown: (_what, stop) => cleanups.push(stop),
      client: dial(serviceMetrics),
      flags,
    });
    servers.set(name, server);
    addresses[name] = `127.0.0.1:${await server.listen('127.0.0.1', 0)}`;
  };
  const database = async (...args: Parameters<typeof openTestDatabase>) => {
    const database = await openTestDatabase(...args);
    cleanups.push(() => database.drop());
    return database;
  };
  let ledger: ChargeLedger | undefined;

  const stopService = (name: ShopService): Promise<void> => {
    const server = servers.get(name);
    if (!server) return Promise.resolve();
    const stopping = stopped.get(name) ?? server.shutdown(1000);
    stopped.set(name, stopping);
    return stopping;
  };
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      for (const client of opened.splice(0)) client.close();
      await Promise.all([...servers.keys()].map(stopService));
      // Later registrations first, as a service's lifecycle runs them: timers before databases.
      const results = await Promise.allSettled(cleanups.reverse().map(async (cleanup) => cleanup()));
      const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failure) throw failure.reason;
    })();
    return stopping;
  };

  try {
    await Promise.all([
      serve('productcatalog', async (runtime) => {
        const db = await database(CATALOG_SCHEMA, catalogMigrations, runtime.metrics, options.databaseUrl);
        createCatalogService(readCatalogConfig(env), { ...runtime, database: db });
      }),
      serve('orders', async (runtime) => {
        const db = await database(ORDERS_SCHEMA, orderMigrations, runtime.metrics, options.databaseUrl);
        createOrdersService({ ...runtime, database: db });
      }),
      serve('inventory', async (runtime) => {
        const db = await database(
          INVENTORY_SCHEMA,
          inventoryMigrations,
          runtime.metrics,
          options.databaseUrl,
        );
        await createInventoryService(readInventoryConfig(env), { ...runtime, database: db });
      }),
      serve('currency', (runtime) => createCurrencyService(readCurrencyConfig(env), runtime)),
      serve('cart', (runtime) => {
        const carts = openTestCartStore(options.redisUrl);
        cleanups.push(() => carts.drop());
        createCartService(readCartConfig(env), { ...runtime, store: carts.store });
      }),
      serve('ad', (runtime) => createAdService(runtime)),
      serve('shipping', (runtime) => createShippingService(runtime)),
      serve('payment', (runtime) => {
        const now = options.now;
        ({ ledger } = createPaymentService(readPaymentConfig(env), { ...runtime, ...(now ? { now } : {}) }));
      }),
      serve('email', (runtime) => createEmailService(readEmailConfig(env), runtime)),
      serve('auth', async (runtime) => {
        const db = await database(AUTH_SCHEMA, authMigrations, runtime.metrics, options.databaseUrl);
        createAuthService(authConfig, { ...runtime, database: db });
      }),
    ]);
    await serve('recommendation', (runtime) =>
      createRecommendationService(readRecommendationConfig(env), runtime),
    );
    await serve('checkout', (runtime) => {
      const wired = checkoutClients(runtime.client);
      const dependencies = options.checkoutDependencies?.(wired) ?? wired;
      createCheckoutService(readCheckoutConfig(env), { ...runtime, dependencies });
    });
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
  if (!ledger) throw new Error('payment did not start');

  const testMetrics = new ServiceMetrics({ defaultMetrics: false });
  return {
    addresses: addresses as Record<ShopService, string>,
    clients: shopClients(dial(testMetrics)),
    ledger,
    logs,
    bootstrapToken: typeof authConfig.bootstrapToken === 'string' ? authConfig.bootstrapToken : '',
    metricsOf(service) {
      const found = metrics.get(service);
      if (!found) throw new Error(`${service} is not part of the shop`);
      return found;
    },
    connect: (clientMetrics) => shopClients(dial(clientMetrics)),
    dial,
    stopService,
    stop,
  };
}

/** The frontend's backends: clients of the shop measured in the frontend's own metrics. */
export function backendsFor(
  shop: InProcessShop,
  metrics = new ServiceMetrics({ defaultMetrics: false }),
): Backends {
  return frontendBackends(shop.dial(metrics));
}

/** The value of a counter (summed over the series matching `labels`), as /metrics would show it. */
export async function counterValue(
  metrics: ServiceMetrics,
  name: string,
  labels: Readonly<Record<string, string>> = {},
): Promise<number> {
  // prom-client keeps counters without the `_total` that OpenMetrics exposition appends.
  const metric = metrics.registry.getSingleMetric(name.replace(/_total$/, ''));
  if (!metric) throw new Error(`no metric ${name}`);
  const { values } = await metric.get();
  return values
    .filter((v) => Object.entries(labels).every(([key, value]) => String(v.labels[key]) === value))
    .reduce((total, v) => total + v.value, 0);
}
