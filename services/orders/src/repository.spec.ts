import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { orders } from '@glasshouse/contracts';
import { migrate } from '@glasshouse/kit';
import type { TestStore } from '@glasshouse/kit/testing';
import { storeVariants } from '@glasshouse/kit/testing';
import { orderMigrations } from './migrations.js';
import { OrderRepository } from './repository.js';

const usd = (units: bigint, nanos = 0) => ({ currencyCode: 'USD', units, nanos });

function anOrder(overrides: Partial<orders.Order> = {}): orders.Order {
  return {
    orderId: randomUUID(),
    userId: 'user-1',
    emailMasked: 'a***@example.com',
    status: orders.OrderStatus.ORDER_STATUS_PLACED,
    total: usd(93n, 490_000_000),
    shippingCost: usd(8n, 990_000_000),
    shippingAddress: {
      streetAddress: '1600 Amphitheatre Parkway',
      city: 'Mountain View',
      state: 'CA',
      country: 'United States',
      zipCode: 94043,
    },
    shippingTrackingId: 'TR-123',
    transactionId: 'tx-456',
    items: [
      { item: { productId: 'OLJCESPC7Z', quantity: 1 }, cost: usd(64n) },
      { item: { productId: '1YMWWN1N4O', quantity: 2 }, cost: usd(9n, 750_000_000) },
    ],
    createdAt: undefined,
    refunds: [],
    ...overrides,
  };
}

function repositorySuite(name: string, open: () => Promise<TestStore>): void {
  describe(`OrderRepository on ${name}`, () => {
    let store: TestStore;
    let repository: OrderRepository;
    const count = async (table: string, orderId: string): Promise<number> => {
      const [row] = await store.db.query<{ n: bigint }>(
        `SELECT count(*) AS n FROM ${store.schema}.${table} WHERE order_id = $1`,
        [orderId],
      );
      return Number(row?.n);
    };

    before(async () => {
      store = await open();
      repository = new OrderRepository(store.db, store.schema);
    });
    after(() => store.dispose());

    it('migrates, and applies nothing the second time', async () => {
      assert.deepEqual(
        await migrate(store.db, store.schema, orderMigrations(store.schema)),
        [1, 2, 3, 4, 5, 6, 7],
      );
      assert.deepEqual(await migrate(store.db, store.schema, orderMigrations(store.schema)), []);
    });

    it("creates seed 001's indexes", async () => {
      const rows = await store.db.query<{ indexname: string }>(
        `SELECT indexname FROM pg_indexes WHERE schemaname = $1 ORDER BY indexname`,
        [store.schema],
      );
      const names = rows.map((r) => r.indexname);
      for (const index of [
        'orders_user_id_created_at_idx',
        'orders_status_idx',
        'orders_created_at_idx',
        'order_items_product_id_idx',
        'order_items_pkey',
      ])
        assert.ok(names.includes(index), `missing ${index} in ${names.join(', ')}`);
    });

    it('stores an order with its items and reads it back exactly', async () => {
      const order = anOrder();
      const before = Date.now();
      const { order: stored, created } = await repository.create(order);
      assert.equal(created, true);
      assert.ok(stored.createdAt instanceof Date);
      assert.ok(Math.abs(stored.createdAt.getTime() - before) < 60_000);
      assert.deepEqual(stored, { ...order, createdAt: stored.createdAt });
      assert.deepEqual(await repository.get(order.orderId, 'user-1'), stored);
    });

    it('returns the stored order, unchanged and without new items, when created again', async () => {
      const order = anOrder();
      const first = await repository.create(order);
      const again = await repository.create({
        ...order,
        transactionId: 'tx-other',
        items: [{ item: { productId: '66VCHSJNUP', quantity: 5 }, cost: usd(1n) }],
      });
      assert.equal(again.created, false);
      assert.deepEqual(again.order, first.order);
      assert.equal(await count('order_items', order.orderId), 2);
      assert.equal(await count('orders', order.orderId), 1);
    });

    it('stores the same order once when it is created concurrently', async () => {
      const order = anOrder();
      const results = await Promise.all(Array.from({ length: 5 }, () => repository.create(order)));
      assert.equal(results.filter((r) => r.created).length, 1);
      for (const result of results) assert.equal(result.order.items.length, 2);
      assert.equal(await count('order_items', order.orderId), 2);
    });

    it('finds an order only for its owner', async () => {
      const order = anOrder({ userId: 'owner-7' });
      await repository.create(order);
      assert.equal(await repository.get(order.orderId, 'someone-else'), undefined);
      assert.equal(await repository.get('no-such-order', 'owner-7'), undefined);
      assert.equal((await repository.get(order.orderId, 'owner-7'))?.orderId, order.orderId);
    });

    it("lists a user's orders newest first, with their items, up to the limit", async () => {
      const userId = `lister-${randomUUID()}`;
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const order = anOrder({ userId });
        ids.push(order.orderId);
        await repository.create(order);
      }
      const all = await repository.listByUser(userId, 20);
      assert.deepEqual(
        all.map((o) => o.orderId),
        [...ids].reverse(),
      );
      for (const order of all) assert.deepEqual(order.items, anOrder().items);
      const times = all.map((o) => o.createdAt?.getTime() ?? 0);
      assert.deepEqual(
        times,
        [...times].sort((a, b) => b - a),
      );
      assert.deepEqual(
        (await repository.listByUser(userId, 2)).map((o) => o.orderId),
        [ids[2], ids[1]],
      );
      assert.deepEqual(await repository.listByUser('nobody', 20), []);
    });

    it('rolls the order back when an item fails to insert (duplicate product lines)', async () => {
      const order = anOrder({
        items: [
          { item: { productId: 'OLJCESPC7Z', quantity: 1 }, cost: usd(64n) },
          { item: { productId: 'OLJCESPC7Z', quantity: 1 }, cost: usd(64n) },
        ],
      });
      await assert.rejects(repository.create(order), (error: { code?: string }) => error.code === '23505');
      assert.equal(await count('orders', order.orderId), 0);
      assert.equal(await count('order_items', order.orderId), 0);
    });

    it('leaves no order row when the database fails mid-transaction', async () => {
      await store.db.exec(`
        CREATE FUNCTION ${store.schema}.refuse_item() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.product_id = 'FAILPRODUCT' THEN RAISE EXCEPTION 'forced failure'; END IF;
          RETURN NEW;
        END $$;
        CREATE TRIGGER refuse_item BEFORE INSERT ON ${store.schema}.order_items
          FOR EACH ROW EXECUTE FUNCTION ${store.schema}.refuse_item();`);
      try {
        const order = anOrder({
          items: [
            { item: { productId: 'OLJCESPC7Z', quantity: 1 }, cost: usd(64n) },
            { item: { productId: 'FAILPRODUCT', quantity: 1 }, cost: usd(1n) },
          ],
        });
        await assert.rejects(repository.create(order), /forced failure/);
        assert.equal(await count('orders', order.orderId), 0);
        assert.equal(await count('order_items', order.orderId), 0);
        // The connection is healthy afterwards.
        assert.equal((await repository.create(anOrder())).created, true);
      } finally {
        await store.db.exec(`DROP TRIGGER refuse_item ON ${store.schema}.order_items`);
      }
    });

    it('deletes the items with their order', async () => {
      const order = anOrder();
      await repository.create(order);
      await store.db.query(`DELETE FROM ${store.schema}.orders WHERE order_id = $1`, [order.orderId]);
      assert.equal(await count('order_items', order.orderId), 0);
    });

    it('refuses a non-positive quantity even past validation', async () => {
      const order = anOrder({ items: [{ item: { productId: 'OLJCESPC7Z', quantity: 0 }, cost: usd(1n) }] });
      await assert.rejects(repository.create(order), (error: { code?: string }) => error.code === '23514');
      assert.equal(await count('orders', order.orderId), 0);
    });

    it('sums orders per hour and currency in order_stats_hourly', async () => {
      await store.db.query(`DELETE FROM ${store.schema}.orders`);
      const eur = (units: bigint, nanos = 0) => ({ currencyCode: 'EUR', units, nanos });
      await repository.create(anOrder({ total: usd(10n, 500_000_000) }));
      await repository.create(anOrder({ total: usd(20n, 250_000_000) }));
      await repository.create(anOrder({ total: usd(5n) }));
      await repository.create(
        anOrder({ total: usd(1000n), status: orders.OrderStatus.ORDER_STATUS_CANCELLED }),
      );
      await repository.create(
        anOrder({
          total: eur(7n, 100_000_000),
          shippingCost: eur(1n),
          items: [{ item: { productId: 'OLJCESPC7Z', quantity: 1 }, cost: eur(6n, 100_000_000) }],
        }),
      );
      // Pinned times, so the test cannot straddle an hour boundary.
      const old = anOrder({ total: usd(3n) });
      await repository.create(old);
      await store.db.query(`UPDATE ${store.schema}.orders SET created_at = '2024-05-01T10:15:00Z'`);
      await store.db.query(
        `UPDATE ${store.schema}.orders SET created_at = '2024-05-01T08:59:59Z' WHERE order_id = $1`,
        [old.orderId],
      );

      const rows = await store.db.query<{
        hour: Date;
        currency_code: string;
        order_count: bigint;
        cancelled_count: bigint;
        revenue: string;
        average_order_value: string;
      }>(`SELECT * FROM ${store.schema}.order_stats_hourly ORDER BY hour DESC, currency_code`);
      assert.deepEqual(
        rows.map((r) => [
          new Date(r.hour).toISOString(),
          r.currency_code,
          r.order_count,
          r.cancelled_count,
          r.revenue,
          r.average_order_value,
        ]),
        [
          ['2024-05-01T10:00:00.000Z', 'EUR', 1n, 0n, '7.100000000', '7.10'],
          ['2024-05-01T10:00:00.000Z', 'USD', 3n, 1n, '35.750000000', '11.92'],
          ['2024-05-01T08:00:00.000Z', 'USD', 1n, 0n, '3.000000000', '3.00'],
        ],
      );
    });
  });
}

for (const [name, open] of storeVariants('orders_test', 'orders', { poolSize: 6 })) {
  repositorySuite(name, open);
}
