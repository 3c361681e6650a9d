import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { inventory } from '@glasshouse/contracts';
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
import { StockGauges } from './gauges.js';
import { inventoryMigrations } from './migrations.js';
import { StockRepository } from './repository.js';
import { StockReturns } from './returns.js';
import { inventoryService } from './server.js';

const CAN = '66VCHSJNUP';
const POTS = 'L9ECAV7KIM';
const LANTERN = '0PUK6V6EV0';

type InventoryClient = PromiseClient<typeof inventory.InventoryServiceService>;

interface RunningInventory {
  client: InventoryClient;
  metrics: ServiceMetrics;
  /** Parsed log lines. */
  logs: Record<string, unknown>[];
  stop(): Promise<void>;
}

async function startInventory(db: Database, schema: string): Promise<RunningInventory> {
  const metrics = new ServiceMetrics({ defaultMetrics: false });
  const logs: Record<string, unknown>[] = [];
  const logger = createLogger({
    serviceName: 'inventory-test',
    destination: { write: (line: string) => logs.push(JSON.parse(line) as Record<string, unknown>) },
  });
  const server = new GrpcServer({ logger, metrics });
  const repository = new StockRepository(db, schema);
  const gauges = new StockGauges({ metrics, logger, load: () => repository.levels() });
  await gauges.refresh();
  const returns = new StockReturns(db, schema);
  server.add(inventory.InventoryServiceService, inventoryService({ repository, returns, gauges, metrics }));
  const served = await serveOnFreePort(
    server,
    inventory.InventoryServiceClient,
    inventory.InventoryServiceService,
    { metrics, deadlineMs: 10_000 },
  );
  return { ...served, metrics, logs };
}

/** A sample with exactly these labels, as scraped; undefined when there is none. */
async function sample(
  metrics: ServiceMetrics,
  name: string,
  labels: Record<string, string> = {},
): Promise<number | undefined> {
  return metricSample((await metrics.scrape()).body, name, labels);
}

const CAN_LEVEL = { product_id: CAN, product_name: 'Brass Watering Can' };

function serviceSuite(name: string, open: () => Promise<TestStore>): void {
  describe(`InventoryService over gRPC on ${name}`, () => {
    let store: TestStore;
    let service: RunningInventory;
    const quantity = async (productId: string): Promise<number | undefined> =>
      (await service.client.getStock({ productIds: [productId] })).levels[0]?.quantity;
    const reserve = (productId: string, units: number, reservationId: string = randomUUID()) =>
      service.client.reserveStock({ reservationId, items: [{ productId, quantity: units }] });

    before(async () => {
      store = await open();
      await migrate(store.db, store.schema, inventoryMigrations(store.schema));
      service = await startInventory(store.db, store.schema);
    });
    after(async () => {
      await service.stop();
      await store.dispose();
    });

    it('gets every level, or the ones asked for', async () => {
      const all = await service.client.getStock({ productIds: [] });
      assert.equal(all.levels.length, 20);
      const some = await service.client.getStock({ productIds: [LANTERN, CAN] });
      assert.deepEqual(some.levels, [
        { productId: LANTERN, productName: 'Solar Glass Lantern', quantity: 3, lowStockThreshold: 10 },
        { productId: CAN, productName: 'Brass Watering Can', quantity: 85, lowStockThreshold: 10 },
      ]);
      await assert.rejects(
        service.client.getStock({ productIds: [CAN, 'NOSUCHTHING'] }),
        expectStatus(status.NOT_FOUND, /no product "NOSUCHTHING"/),
      );
      await assert.rejects(
        service.client.getStock({ productIds: ['bad id'] }),
        expectStatus(status.INVALID_ARGUMENT, /^product_ids\[0\]: "bad id" is not a product id/),
      );
    });

    it('lists the products at or below their threshold', async () => {
      const { levels } = await service.client.listLowStock({});
      assert.deepEqual(
        levels.map((l) => l.productName),
        ['Solar Glass Lantern', 'Smart Soil Sensor'],
      );
    });

    it('shows every level and the low count as gauges from the start', async () => {
      assert.equal(await sample(service.metrics, 'inventory_stock_level', CAN_LEVEL), 85);
      assert.equal(await sample(service.metrics, 'inventory_low_stock_products'), 2);
    });

    describe('reserving', () => {
      beforeEach(async () => {
        await service.client.setStock({ productId: CAN, quantity: 10, lowStockThreshold: 5 });
        await service.client.setStock({ productId: POTS, quantity: 10, lowStockThreshold: 5 });
      });

      it('never oversells: 30 racing reservations of 1 against 10 in stock', async () => {
        const ids = Array.from({ length: 30 }, () => randomUUID());
        const results = await Promise.allSettled(ids.map((id) => reserve(CAN, 1, id)));
        const won = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
        const lost = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
        assert.equal(won.length, 10);
        assert.equal(lost.length, 20);
        for (const error of lost)
          expectStatus(status.FAILED_PRECONDITION, /^not enough stock of Brass Watering Can/)(error);
        // Each winner saw a different level on the way down: 9, 8, …, 0, never below.
        assert.deepEqual(
          won.map((r) => r.levels[0]?.quantity).sort((a = 0, b = 0) => a - b),
          [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
        );
        assert.equal(await quantity(CAN), 0);
        // Exactly the winners hold a reservation, one unit each.
        const rows = await store.db.query<{ reservation_id: string; quantity: number }>(
          `SELECT reservation_id, quantity FROM ${store.schema}.reservations WHERE reservation_id = ANY($1::text[])`,
          [ids],
        );
        assert.equal(rows.length, 10);
        assert.ok(rows.every((row) => row.quantity === 1));
      });

      it('reserves all items or none, naming the product that is short', async () => {
        await assert.rejects(
          service.client.reserveStock({
            reservationId: randomUUID(),
            items: [
              { productId: CAN, quantity: 4 },
              { productId: POTS, quantity: 11 },
            ],
          }),
          expectStatus(
            status.FAILED_PRECONDITION,
            /^not enough stock of Terracotta Pot Trio: 10 left, 11 requested$/,
          ),
        );
        assert.equal(await quantity(CAN), 10);
        assert.equal(await quantity(POTS), 10);
      });

      it('answers NOT_FOUND for an unknown product, taking nothing', async () => {
        await assert.rejects(
          service.client.reserveStock({
            reservationId: randomUUID(),
            items: [
              { productId: CAN, quantity: 1 },
              { productId: 'NOSUCHTHING', quantity: 1 },
            ],
          }),
          expectStatus(status.NOT_FOUND, /no product "NOSUCHTHING"/),
        );
        assert.equal(await quantity(CAN), 10);
      });

      it('reserves once per reservation id, answering a repeat with the current levels', async () => {
        const id = randomUUID();
        const first = await reserve(CAN, 3, id);
        assert.deepEqual(
          first.levels.map((l) => l.quantity),
          [7],
        );
        const again = await reserve(CAN, 3, id);
        assert.deepEqual(again.levels, first.levels);
        assert.equal(await quantity(CAN), 7);
      });

      it('releases a reservation once, restoring the stock and the gauge', async () => {
        const id = randomUUID();
        await reserve(CAN, 6, id);
        assert.equal(await quantity(CAN), 4);
        assert.deepEqual(await service.client.releaseStock({ reservationId: id }), { released: true });
        assert.equal(await quantity(CAN), 10);
        assert.deepEqual(await service.client.releaseStock({ reservationId: id }), { released: false });
        assert.deepEqual(await service.client.releaseStock({ reservationId: 'never-made' }), {
          released: false,
        });
        assert.equal(await quantity(CAN), 10);
        assert.equal(await sample(service.metrics, 'inventory_stock_level', CAN_LEVEL), 10);
      });

      it('restores everything after the race once every winner is released', async () => {
        const ids = Array.from({ length: 12 }, () => randomUUID());
        const results = await Promise.allSettled(ids.map((id) => reserve(CAN, 1, id)));
        assert.equal(results.filter((r) => r.status === 'fulfilled').length, 10);
        await Promise.all(ids.map((reservationId) => service.client.releaseStock({ reservationId })));
        assert.equal(await quantity(CAN), 10);
      });

      it('warns once when a product crosses its threshold downward, and updates the gauges', async () => {
        const lowBefore = await sample(service.metrics, 'inventory_low_stock_products');
        const warnings = () => service.logs.filter((l) => l.message === 'product below low-stock threshold');
        const seen = warnings().length;
        await reserve(CAN, 4); // 10 → 6: still above 5
        assert.equal(warnings().length, seen);
        await reserve(CAN, 1); // 6 → 5: crosses
        await reserve(CAN, 1); // 5 → 4: already low
        const fresh = warnings().slice(seen);
        assert.equal(fresh.length, 1);
        assert.equal(fresh[0]?.level, 'warn');
        assert.deepEqual(
          [fresh[0]?.product_id, fresh[0]?.product_name, fresh[0]?.quantity, fresh[0]?.threshold],
          [CAN, 'Brass Watering Can', 5, 5],
        );
        assert.equal(await sample(service.metrics, 'inventory_low_stock_products'), (lowBefore ?? 0) + 1);
        assert.equal(await sample(service.metrics, 'inventory_stock_level', CAN_LEVEL), 4);
      });
    });

    it('sets a level, warning when restocking leaves a product low', async () => {
      const { level } = await service.client.setStock({
        productId: POTS,
        quantity: 50,
        lowStockThreshold: 10,
      });
      assert.deepEqual(level, {
        productId: POTS,
        productName: 'Terracotta Pot Trio',
        quantity: 50,
        lowStockThreshold: 10,
      });
      const seen = service.logs.length;
      await service.client.setStock({ productId: POTS, quantity: 50, lowStockThreshold: 60 });
      assert.ok(service.logs.slice(seen).some((l) => l.message === 'product below low-stock threshold'));
      assert.ok(service.logs.slice(seen).some((l) => l.message === 'stock set'));
      await assert.rejects(
        service.client.setStock({ productId: 'NOSUCHTHING', quantity: 1, lowStockThreshold: 1 }),
        expectStatus(status.NOT_FOUND, /no product "NOSUCHTHING"/),
      );
    });

    const badReservations: [string, inventory.ReserveStockRequest, RegExp][] = [
      [
        'no reservation id',
        { reservationId: '', items: [{ productId: CAN, quantity: 1 }] },
        /^reservation_id: required/,
      ],
      [
        'a bad reservation id',
        { reservationId: 'a b', items: [{ productId: CAN, quantity: 1 }] },
        /^reservation_id: "a b" is not a valid id/,
      ],
      ['no items', { reservationId: 'r-1', items: [] }, /^items: at least one item/],
      [
        'a zero quantity',
        { reservationId: 'r-1', items: [{ productId: CAN, quantity: 0 }] },
        /^items\[0\]\.quantity: 0 is outside 1–999/,
      ],
      [
        'a quantity of 1000',
        { reservationId: 'r-1', items: [{ productId: CAN, quantity: 1000 }] },
        /^items\[0\]\.quantity: 1000 is outside 1–999/,
      ],
      [
        'a negative quantity',
        { reservationId: 'r-1', items: [{ productId: CAN, quantity: -3 }] },
        /^items\[0\]\.quantity: -3 is outside/,
      ],
      [
        'a malformed product id',
        { reservationId: 'r-1', items: [{ productId: "'; DROP TABLE stock; --", quantity: 1 }] },
        /^items\[0\]\.product_id: .* is not a product id/,
      ],
      [
        'a product twice',
        {
          reservationId: 'r-1',
          items: [
            { productId: CAN, quantity: 1 },
            { productId: CAN, quantity: 2 },
          ],
        },
        /^items\[1\]\.product_id: "66VCHSJNUP" appears more than once/,
      ],
    ];
    for (const [what, request, reason] of badReservations) {
      it(`answers INVALID_ARGUMENT for a reservation with ${what}`, async () => {
        const before = await quantity(CAN);
        await assert.rejects(
          service.client.reserveStock(request),
          expectStatus(status.INVALID_ARGUMENT, reason),
        );
        assert.equal(await quantity(CAN), before);
      });
    }

    const badStock: [string, inventory.SetStockRequest, RegExp][] = [
      [
        'a negative quantity',
        { productId: CAN, quantity: -1, lowStockThreshold: 5 },
        /^quantity: must not be negative/,
      ],
      [
        'a negative threshold',
        { productId: CAN, quantity: 1, lowStockThreshold: -1 },
        /^low_stock_threshold: must not be negative/,
      ],
      [
        'an absurd quantity',
        { productId: CAN, quantity: 2_000_000, lowStockThreshold: 5 },
        /^quantity: more than/,
      ],
      [
        'a bad product id',
        { productId: '', quantity: 1, lowStockThreshold: 5 },
        /^product_id: "" is not a product id/,
      ],
    ];
    for (const [what, request, reason] of badStock) {
      it(`answers INVALID_ARGUMENT for setting ${what}`, async () => {
        await assert.rejects(service.client.setStock(request), expectStatus(status.INVALID_ARGUMENT, reason));
      });
    }

    it('answers INVALID_ARGUMENT for releasing without a reservation id', async () => {
      await assert.rejects(
        service.client.releaseStock({ reservationId: '' }),
        expectStatus(status.INVALID_ARGUMENT, /^reservation_id: required/),
      );
    });
  });
}

for (const [name, open] of storeVariants('inventory_test', 'inventory', { poolSize: 10 })) {
  serviceSuite(name, open);
}

describe("the 'reserve stock' and 'release stock' spans", () => {
  const exporter = new InMemorySpanExporter();
  let tracing: ReturnType<typeof startTracing>;
  let store: TestStore;
  let service: RunningInventory;

  before(async () => {
    tracing = startTracing({ serviceName: 'inventory-test', exporters: [exporter], instrumentations: [] });
    store = await openPgliteStore('inventory');
    await migrate(store.db, 'inventory', inventoryMigrations('inventory'));
    service = await startInventory(store.db, 'inventory');
  });
  after(async () => {
    await service.stop();
    await store.dispose();
    await tracing.shutdown();
  });

  it('records a reservation and its release, with the decrement as a child', async () => {
    const reservationId = randomUUID();
    await service.client.reserveStock({ reservationId, items: [{ productId: CAN, quantity: 1 }] });
    await service.client.releaseStock({ reservationId });
    await tracing.forceFlush();
    const spans = exporter.getFinishedSpans();
    const reserveSpan = spans.find((s) => s.name === 'reserve stock');
    assert.ok(reserveSpan, spans.map((s) => s.name).join(', '));
    assert.equal(reserveSpan.attributes['app.reservation.id'], reservationId);
    assert.equal(reserveSpan.attributes['app.inventory.items.count'], 1);
    assert.equal(reserveSpan.attributes['app.inventory.reservation.outcome'], 'reserved');
    assert.ok(
      spans.some(
        (s) =>
          s.name === 'UPDATE inventory.stock' &&
          s.parentSpanContext?.spanId === reserveSpan.spanContext().spanId,
      ),
    );
    const releaseSpan = spans.find((s) => s.name === 'release stock');
    assert.equal(releaseSpan?.attributes['app.inventory.released'], true);
  });

  it('marks a refused reservation as an error with its reason', async () => {
    await assert.rejects(reserveTooMuch(service.client));
    await tracing.forceFlush();
    const refused = exporter
      .getFinishedSpans()
      .filter((s) => s.name === 'reserve stock')
      .at(-1);
    assert.equal(refused?.attributes['error.type'], 'not_enough_stock');
    assert.equal(refused?.status.code, 2);
  });
});

function reserveTooMuch(client: InventoryClient) {
  return client.reserveStock({ reservationId: randomUUID(), items: [{ productId: LANTERN, quantity: 999 }] });
}
