import { Writable } from 'node:stream';
import { hipstershop, inventory, orders, payment } from '@glasshouse/contracts';
import type { Logger } from '@glasshouse/kit';
import { GrpcServer, ServiceMetrics, createLogger } from '@glasshouse/kit';
import { adService } from '../../services/ad/src/server.js';
import { cartService } from '../../services/cart/src/server.js';
import type { CheckoutDependencies } from '../../services/checkout/src/dependencies.js';
import { checkoutService } from '../../services/checkout/src/server.js';
import { loadRates } from '../../services/currency/src/rates.js';
import { currencyService } from '../../services/currency/src/server.js';
import { emailService } from '../../services/email/src/server.js';
import { logTransport } from '../../services/email/src/transport.js';
import type { Backends } from '../../services/frontend/src/backends.js';
import { StockGauges } from '../../services/inventory/src/gauges.js';
import { inventoryMigrations } from '../../services/inventory/src/migrations.js';
import { StockRepository } from '../../services/inventory/src/repository.js';
import { inventoryService } from '../../services/inventory/src/server.js';
import { orderMigrations } from '../../services/orders/src/migrations.js';
import { OrderRepository } from '../../services/orders/src/repository.js';
import { orderService } from '../../services/orders/src/server.js';
import { ChargeLedger } from '../../services/payment/src/ledger.js';
import { paymentMetrics } from '../../services/payment/src/metrics.js';
import { chargeReversalService, paymentService } from '../../services/payment/src/server.js';
import { catalogMigrations } from '../../services/productcatalog/src/migrations.js';
import { ProductRepository } from '../../services/productcatalog/src/repository.js';
import { catalogService } from '../../services/productcatalog/src/server.js';
import { CatalogCache } from '../../services/recommendation/src/catalog-cache.js';
import { recommendationService } from '../../services/recommendation/src/server.js';
import { shippingService } from '../../services/shipping/src/server.js';
import type { ShopClients, ShopService } from './shop-clients.js';
import { checkoutDependencies, dialer, shopClients } from './shop-clients.js';
import { openTestCartStore, openTestDatabase } from './shop-stores.js';

export type { ShopClients, ShopService } from './shop-clients.js';
export { SHOP_SERVICES } from './shop-clients.js';

export interface InProcessShopOptions {
  /** Real Postgres for catalog, orders and inventory (unique schemas, dropped on stop); else PGlite. */
  databaseUrl?: string;
  /** Real Redis for carts (a unique key prefix, deleted on stop); else memory. */
  redisUrl?: string;
  /** The clock payment judges card expiry by. */
  now?: () => Date;
  /** Deadline of every client the shop makes (default 5 s). */
  deadlineMs?: number;
  logLevel?: string;
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
  metricsOf(service: ShopService): ServiceMetrics;
  /** New clients of every service, measured in `metrics`; closed when the shop stops. */
  connect(metrics: ServiceMetrics): ShopClients;
  /** Stops one service's server (its port then refuses calls). */
  stopService(service: ShopService): Promise<void>;
  stop(): Promise<void>;
}

interface ServiceContext {
  logger: Logger;
  metrics: ServiceMetrics;
}

/** Starts the whole shop in this process: the services' own handler builders on real gRPC servers. */
export async function startInProcessShop(options: InProcessShopOptions = {}): Promise<InProcessShop> {
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line.trim()) logs.push(line);
      done();
    },
  });
  const deadlineMs = options.deadlineMs ?? 5000;
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
    setup: (server: GrpcServer, context: ServiceContext) => Promise<void> | void,
  ): Promise<void> => {
    const context = {
      metrics: new ServiceMetrics({ defaultMetrics: false }),
      logger: createLogger({ serviceName: name, level: options.logLevel ?? 'info', destination: sink }),
    };
    metrics.set(name, context.metrics);
    const server = new GrpcServer(context);
    await setup(server, context);
    servers.set(name, server);
    addresses[name] = `127.0.0.1:${await server.listen('127.0.0.1', 0)}`;
  };
  const database = async (...args: Parameters<typeof openTestDatabase>) => {
    const database = await openTestDatabase(...args);
    cleanups.push(() => database.drop());
    return database;
  };
  const ledger = new ChargeLedger();

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
      const results = await Promise.allSettled(cleanups.map(async (cleanup) => cleanup()));
      const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failure) throw failure.reason;
    })();
    return stopping;
  };

  try {
    await Promise.all([
      serve('productcatalog', async (server, { metrics }) => {
        const { db, schema } = await database('catalog', catalogMigrations, metrics, options.databaseUrl);
        const repository = new ProductRepository(db, schema);
        server.add(
          hipstershop.ProductCatalogServiceService,
          catalogService({ repository, metrics, cacheTtlMs: 0 }),
        );
      }),
      serve('orders', async (server, { metrics }) => {
        const { db, schema } = await database('orders', orderMigrations, metrics, options.databaseUrl);
        server.add(
          orders.OrderServiceService,
          orderService({ repository: new OrderRepository(db, schema), metrics }),
        );
      }),
      serve('inventory', async (server, { metrics, logger }) => {
        const { db, schema } = await database('inventory', inventoryMigrations, metrics, options.databaseUrl);
        const repository = new StockRepository(db, schema);
        const gauges = new StockGauges({ metrics, logger, load: () => repository.levels() });
        await gauges.refresh();
        cleanups.push(() => gauges.stop());
        server.add(inventory.InventoryServiceService, inventoryService({ repository, gauges }));
      }),
      serve('currency', async (server) => {
        server.add(hipstershop.CurrencyServiceService, currencyService(await loadRates()));
      }),
      serve('cart', (server, { metrics }) => {
        const carts = openTestCartStore(options.redisUrl);
        cleanups.push(() => carts.drop());
        const { store } = carts;
        server.add(hipstershop.CartServiceService, cartService({ store, metrics }));
      }),
      serve('ad', (server, { metrics }) => {
        server.add(hipstershop.AdServiceService, adService({ metrics }));
      }),
      serve('shipping', (server, { metrics }) => {
        server.add(hipstershop.ShippingServiceService, shippingService({ metrics }));
      }),
      serve('payment', (server, { metrics }) => {
        const handlers = {
          ledger,
          metrics: paymentMetrics(metrics),
          ...(options.now ? { now: options.now } : {}),
        };
        server.add(hipstershop.PaymentServiceService, paymentService(handlers));
        server.add(payment.ChargeReversalServiceService, chargeReversalService(handlers));
      }),
      serve('email', (server, { metrics, logger }) => {
        server.add(
          hipstershop.EmailServiceService,
          emailService({ transport: logTransport(logger), metrics }),
        );
      }),
    ]);
    await serve('recommendation', (server, { metrics, logger }) => {
      const catalog = dial(metrics)(
        hipstershop.ProductCatalogServiceClient,
        hipstershop.ProductCatalogServiceService,
        'productcatalog',
        true,
      );
      const cache = new CatalogCache({ catalog, metrics, logger, ttlMs: 60_000 });
      server.add(
        hipstershop.RecommendationServiceService,
        recommendationService({ catalog: cache, metrics, count: 4 }),
      );
    });
    await serve('checkout', (server, { metrics, logger }) => {
      const wired = checkoutDependencies(dial(metrics));
      const dependencies = options.checkoutDependencies?.(wired) ?? wired;
      server.add(
        hipstershop.CheckoutServiceService,
        checkoutService({ dependencies, metrics, logger, emailDeadlineMs: 1000 }),
      );
    });
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }

  const testMetrics = new ServiceMetrics({ defaultMetrics: false });
  return {
    addresses: addresses as Record<ShopService, string>,
    clients: shopClients(dial(testMetrics)),
    ledger,
    logs,
    metricsOf(service) {
      const found = metrics.get(service);
      if (!found) throw new Error(`${service} is not part of the shop`);
      return found;
    },
    connect: (clientMetrics) => shopClients(dial(clientMetrics)),
    stopService,
    stop,
  };
}

/** The frontend's backends: clients of the shop measured in the frontend's own metrics. */
export function backendsFor(
  shop: InProcessShop,
  metrics = new ServiceMetrics({ defaultMetrics: false }),
): Backends {
  return shop.connect(metrics);
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
