import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { orders } from '@glasshouse/contracts';
import type { Database, PromiseClient } from '@glasshouse/kit';
import { GrpcServer, ServiceMetrics, createLogger, migrate, startTracing } from '@glasshouse/kit';
import type { TestStore } from '@glasshouse/kit/testing';
import {
  expectStatus,
  metricSample,
  openPgliteStore,
  serveOnFreePort,
  storeVariants,
} from '@glasshouse/kit/testing';
import { orderMigrations } from './migrations.js';
import { RefundRepository } from './refunds.js';
import { OrderRepository } from './repository.js';
import { orderService } from './server.js';

type OrderClient = PromiseClient<typeof orders.OrderServiceService>;

interface RunningOrders {
  client: OrderClient;
  metrics: ServiceMetrics;
  stop(): Promise<void>;
}

const usd = (units: bigint, nanos = 0) => ({ currencyCode: 'USD', units, nanos });

function anOrder(overrides: Partial<orders.Order> = {}): orders.Order {
  return {
    orderId: randomUUID(),
    userId: 'shopper-1',
    emailMasked: 'a***@example.com',
    status: orders.OrderStatus.ORDER_STATUS_PLACED,
    total: usd(82n, 990_000_000),
    shippingCost: usd(8n, 990_000_000),
    shippingAddress: {
      streetAddress: '1 Glass Lane',
      city: 'Kew',
      state: 'Surrey',
      country: 'United Kingdom',
      zipCode: 9300,
    },
    shippingTrackingId: 'TR-1',
    transactionId: 'tx-1',
    items: [
      { item: { productId: 'OLJCESPC7Z', quantity: 1 }, cost: usd(64n) },
      { item: { productId: 'L9ECAV7KIM', quantity: 1 }, cost: usd(10n) },
    ],
    createdAt: undefined,
    refunds: [],
    ...overrides,
  };
}

async function startOrders(db: Database, schema: string): Promise<RunningOrders> {
  const metrics = new ServiceMetrics({ defaultMetrics: false });
  const server = new GrpcServer({
    logger: createLogger({ serviceName: 'orders-test', level: 'silent' }),
    metrics,
  });
  server.add(
    orders.OrderServiceService,
    orderService({
      repository: new OrderRepository(db, schema),
      refunds: new RefundRepository(db, schema, new OrderRepository(db, schema)),
      metrics,
    }),
  );
  const served = await serveOnFreePort(server, orders.OrderServiceClient, orders.OrderServiceService, {
    metrics,
  });
  return { ...served, metrics };
}

/** orders_persisted_total{result=…} as scraped; 0 before the first count. */
async function persisted(metrics: ServiceMetrics, result: string): Promise<number> {
  const { body } = await metrics.scrape();
  return metricSample(body, 'orders_persisted_total', { result }) ?? 0;
}

function serviceSuite(name: string, open: () => Promise<TestStore>): void {
  describe(`OrderService over gRPC on ${name}`, () => {
    let store: TestStore;
    let service: RunningOrders;
    const rowCount = async (orderId: string): Promise<number> => {
      const [row] = await store.db.query<{ n: bigint }>(
        `SELECT (SELECT count(*) FROM ${store.schema}.orders WHERE order_id = $1)
              + (SELECT count(*) FROM ${store.schema}.order_items WHERE order_id = $1) AS n`,
        [orderId],
      );
      return Number(row?.n);
    };

    before(async () => {
      store = await open();
      await migrate(store.db, store.schema, orderMigrations(store.schema));
      service = await startOrders(store.db, store.schema);
    });
    after(async () => {
      await service.stop();
      await store.dispose();
    });

    it('creates an order and returns it as stored', async () => {
      const order = anOrder();
      const response = await service.client.createOrder({ order });
      assert.equal(response.created, true);
      assert.ok(response.order?.createdAt instanceof Date);
      assert.deepEqual(response.order, { ...order, createdAt: response.order?.createdAt });
      assert.equal(await persisted(service.metrics, 'created'), 1);
    });

    it('returns the stored order without storing it again when created twice', async () => {
      const order = anOrder();
      const first = await service.client.createOrder({ order });
      const again = await service.client.createOrder({ order });
      assert.equal(again.created, false);
      assert.deepEqual(again.order, first.order);
      assert.equal(await rowCount(order.orderId), 3);
      assert.equal(await persisted(service.metrics, 'existing'), 1);
    });

    it("refuses another user's order id without showing that order", async () => {
      const order = anOrder();
      await service.client.createOrder({ order });
      await assert.rejects(
        service.client.createOrder({ order: { ...order, userId: 'intruder' } }),
        expectStatus(status.ALREADY_EXISTS, /^order\.order_id: .* already taken$/),
      );
      assert.equal(await persisted(service.metrics, 'conflict'), 1);
    });

    it('stores the email masked even when sent in full', async () => {
      const { order } = await service.client.createOrder({
        order: anOrder({ emailMasked: 'alice@example.com' }),
      });
      assert.equal(order?.emailMasked, 'a***@example.com');
    });

    const invalid: [string, Partial<orders.Order> | undefined, RegExp][] = [
      ['no order', undefined, /^order: required/],
      ['no order id', { orderId: '' }, /^order\.order_id: required/],
      ['a bad order id', { orderId: 'has space' }, /^order\.order_id: .*not a valid id/],
      ['no user id', { userId: '' }, /^order\.user_id: required/],
      ['no items', { items: [] }, /^order\.items: at least one item/],
      ['no total', { total: undefined }, /^order\.total: amount is missing/],
      ['a malformed total', { total: usd(1n, -5) }, /^order\.total: units and nanos have opposite signs/],
      ['a negative total', { total: usd(-1n) }, /^order\.total: must not be negative/],
      [
        'a bad currency',
        { total: { currencyCode: 'usd', units: 1n, nanos: 0 } },
        /^order\.total: currency code/,
      ],
      [
        'nanos out of range',
        { shippingCost: usd(1n, 1_000_000_000) },
        /^order\.shipping_cost: nanos 1000000000 is outside/,
      ],
      [
        'a shipping cost in another currency',
        { shippingCost: { currencyCode: 'EUR', units: 1n, nanos: 0 } },
        /^order\.shipping_cost: currency EUR differs from the total's USD/,
      ],
      [
        'a zero quantity',
        { items: [{ item: { productId: 'OLJCESPC7Z', quantity: 0 }, cost: usd(1n) }] },
        /^order\.items\[0\]\.item\.quantity: must be positive/,
      ],
      [
        'a negative quantity',
        { items: [{ item: { productId: 'OLJCESPC7Z', quantity: -2 }, cost: usd(1n) }] },
        /^order\.items\[0\]\.item\.quantity: must be positive/,
      ],
      [
        'a bad product id',
        { items: [{ item: { productId: '../x', quantity: 1 }, cost: usd(1n) }] },
        /^order\.items\[0\]\.item\.product_id: .*not a product id/,
      ],
      [
        'an item without a cost',
        { items: [{ item: { productId: 'OLJCESPC7Z', quantity: 1 }, cost: undefined }] },
        /^order\.items\[0\]\.cost: amount is missing/,
      ],
      ['an unknown status', { status: 7 as orders.OrderStatus }, /^order\.status: 7 is not an order status/],
    ];
    for (const [what, overrides, reason] of invalid) {
      it(`answers INVALID_ARGUMENT for ${what}, storing nothing`, async () => {
        const order = overrides === undefined ? undefined : anOrder(overrides);
        await assert.rejects(
          service.client.createOrder({ order }),
          expectStatus(status.INVALID_ARGUMENT, reason),
        );
        if (order?.orderId) assert.equal(await rowCount(order.orderId), 0);
      });
    }

    it('refuses duplicate product lines before touching the database', async () => {
      const order = anOrder({
        items: [
          { item: { productId: 'OLJCESPC7Z', quantity: 1 }, cost: usd(64n) },
          { item: { productId: 'OLJCESPC7Z', quantity: 2 }, cost: usd(64n) },
        ],
      });
      await assert.rejects(
        service.client.createOrder({ order }),
        expectStatus(
          status.INVALID_ARGUMENT,
          /^order\.items\[1\]\.item\.product_id: "OLJCESPC7Z" appears more/,
        ),
      );
      assert.equal(await rowCount(order.orderId), 0);
      assert.ok((await persisted(service.metrics, 'invalid')) >= 1);
    });

    it('answers INTERNAL, counts an error and stores nothing when the database fails mid-order', async () => {
      await store.db.exec(`
        CREATE FUNCTION ${store.schema}.refuse_item() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'forced failure'; END $$;
        CREATE TRIGGER refuse_item BEFORE INSERT ON ${store.schema}.order_items
          FOR EACH ROW EXECUTE FUNCTION ${store.schema}.refuse_item();`);
      const order = anOrder();
      try {
        await assert.rejects(
          service.client.createOrder({ order }),
          expectStatus(status.INTERNAL, /^internal error$/),
        );
      } finally {
        await store.db.exec(`DROP TRIGGER refuse_item ON ${store.schema}.order_items`);
      }
      assert.equal(await rowCount(order.orderId), 0);
      assert.equal(await persisted(service.metrics, 'error'), 1);
      // The same order goes through once the database recovers.
      assert.equal((await service.client.createOrder({ order })).created, true);
    });

    it('gets an order for its owner, and NOT_FOUND for anyone else', async () => {
      const order = anOrder({ userId: 'owner-1' });
      const { order: stored } = await service.client.createOrder({ order });
      const { order: got } = await service.client.getOrder({ orderId: order.orderId, userId: 'owner-1' });
      assert.deepEqual(got, stored);
      await assert.rejects(
        service.client.getOrder({ orderId: order.orderId, userId: 'owner-2' }),
        expectStatus(status.NOT_FOUND, /no order ".*" for this user/),
      );
      await assert.rejects(
        service.client.getOrder({ orderId: 'missing', userId: 'owner-1' }),
        expectStatus(status.NOT_FOUND, /no order "missing"/),
      );
      await assert.rejects(
        service.client.getOrder({ orderId: order.orderId, userId: '' }),
        expectStatus(status.INVALID_ARGUMENT, /^user_id: required/),
      );
      await assert.rejects(
        service.client.getOrder({ orderId: '', userId: 'owner-1' }),
        expectStatus(status.INVALID_ARGUMENT, /^order_id: required/),
      );
    });

    it("lists a user's orders newest first with items, 20 by default and at most 100", async () => {
      const userId = `lister-${randomUUID()}`;
      const ids: string[] = [];
      for (let i = 0; i < 22; i++) {
        const order = anOrder({ userId });
        ids.push(order.orderId);
        await service.client.createOrder({ order });
      }
      const newestFirst = [...ids].reverse();
      const byDefault = await service.client.listOrders({ userId, limit: 0 });
      assert.deepEqual(
        byDefault.orders.map((o) => o.orderId),
        newestFirst.slice(0, 20),
      );
      for (const order of byDefault.orders) assert.equal(order.items.length, 2);
      assert.deepEqual(
        (await service.client.listOrders({ userId, limit: 3 })).orders.map((o) => o.orderId),
        newestFirst.slice(0, 3),
      );
      assert.equal((await service.client.listOrders({ userId, limit: 5000 })).orders.length, 22);
      assert.deepEqual((await service.client.listOrders({ userId: 'nobody', limit: 0 })).orders, []);
      await assert.rejects(
        service.client.listOrders({ userId, limit: -1 }),
        expectStatus(status.INVALID_ARGUMENT, /^limit: must not be negative/),
      );
      await assert.rejects(
        service.client.listOrders({ userId: '', limit: 0 }),
        expectStatus(status.INVALID_ARGUMENT, /^user_id: required/),
      );
    });

    it('caps a list at 100 orders', async () => {
      const userId = `many-${randomUUID()}`;
      for (let i = 0; i < 101; i++) await service.client.createOrder({ order: anOrder({ userId }) });
      assert.equal((await service.client.listOrders({ userId, limit: 1000 })).orders.length, 100);
    });

    it('never puts an order or user id in a metric label', async () => {
      const { body } = await service.metrics.scrape();
      assert.doesNotMatch(body, /owner-1|shopper-1|lister-|[0-9a-f]{8}-[0-9a-f]{4}-/);
    });
  });
}

for (const [name, open] of storeVariants('orders_test', 'orders', { poolSize: 4 })) {
  serviceSuite(name, open);
}

describe("the 'persist order' span", () => {
  const exporter = new InMemorySpanExporter();
  let tracing: ReturnType<typeof startTracing>;
  let store: TestStore;
  let service: RunningOrders;

  before(async () => {
    tracing = startTracing({ serviceName: 'orders-test', exporters: [exporter], instrumentations: [] });
    store = await openPgliteStore('orders');
    await migrate(store.db, 'orders', orderMigrations('orders'));
    service = await startOrders(store.db, 'orders');
  });
  after(async () => {
    await service.stop();
    await store.dispose();
    await tracing.shutdown();
  });

  it('wraps the insert, with the order id and item count, and its database call as a child', async () => {
    const order = anOrder();
    await service.client.createOrder({ order });
    await tracing.forceFlush();
    const spans = exporter.getFinishedSpans();
    const persist = spans.find((s) => s.name === 'persist order');
    assert.ok(persist, `no 'persist order' span in ${spans.map((s) => s.name).join(', ')}`);
    assert.equal(persist.attributes['app.order.id'], order.orderId);
    assert.equal(persist.attributes['app.order.items.count'], 2);
    assert.equal(persist.attributes['app.order.created'], true);
    const children = spans.filter((s) => s.parentSpanContext?.spanId === persist.spanContext().spanId);
    // The order row and its lines go in with one statement.
    const insert = children.find((s) => s.name === 'INSERT orders.orders');
    assert.ok(insert, children.map((s) => s.name).join(', '));
    assert.match(String(insert.attributes['db.query.text']), /INSERT INTO orders\.order_items/);
  });
});
