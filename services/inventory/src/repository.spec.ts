import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { migrate } from '@glasshouse/kit';
import type { TestStore } from '@glasshouse/kit/testing';
import { ONLINE_BOUTIQUE_PRODUCT_IDS, storeVariants } from '@glasshouse/kit/testing';
import { inventoryMigrations } from './migrations.js';
import type { StockLevel } from './repository.js';
import { StockRepository } from './repository.js';
import { SEED_STOCK } from './seed-stock.js';

const CAN = '66VCHSJNUP';
const APRON = '1YMWWN1N4O';
const POTS = 'L9ECAV7KIM';

function repositorySuite(name: string, open: () => Promise<TestStore>): void {
  describe(`StockRepository on ${name}`, () => {
    let store: TestStore;
    let repository: StockRepository;
    const quantity = async (productId: string): Promise<number | undefined> =>
      (await repository.levels([productId]))[0]?.quantity;
    const setAll = async (productIds: readonly string[], level: number): Promise<void> => {
      for (const id of productIds) await repository.set(id, level, 5);
    };

    before(async () => {
      store = await open();
      repository = new StockRepository(store.db, store.schema);
    });
    after(() => store.dispose());

    it('migrates, and applies nothing the second time', async () => {
      assert.deepEqual(
        await migrate(store.db, store.schema, inventoryMigrations(store.schema)),
        [1, 2, 3, 4, 5],
      );
      assert.deepEqual(await migrate(store.db, store.schema, inventoryMigrations(store.schema)), []);
    });

    it("seeds the catalogue's twenty products with believable levels", async () => {
      const levels = await repository.levels();
      assert.equal(levels.length, 20);
      assert.equal(new Set(levels.map((l) => l.productId)).size, 20);
      for (const id of ONLINE_BOUTIQUE_PRODUCT_IDS)
        assert.ok(
          levels.some((l) => l.productId === id),
          `missing ${id}`,
        );
      assert.equal(levels.find((l) => l.productId === CAN)?.productName, 'Brass Watering Can');
      const scarce = levels.filter((l) => l.quantity < 20);
      assert.equal(scarce.length, 2);
      for (const level of levels) {
        assert.ok(level.lowStockThreshold >= 5 && level.lowStockThreshold <= 15, level.productId);
        if (!scarce.includes(level))
          assert.ok(level.quantity >= 20 && level.quantity <= 200, level.productId);
      }
    });

    it('lists the seeded scarce products in low_stock_products, emptiest first', async () => {
      const low = await repository.lowStock();
      assert.deepEqual(
        low.map((l) => [l.productName, l.quantity]),
        [
          ['Solar Glass Lantern', 3],
          ['Smart Soil Sensor', 4],
        ],
      );
      const seeded = SEED_STOCK.filter((s) => s.quantity <= s.lowStockThreshold).map((s) => s.productId);
      assert.deepEqual(new Set(low.map((l) => l.productId)), new Set(seeded));
    });

    it('restocks only the products at or below their threshold', async () => {
      await repository.set(POTS, 2, 6);
      await repository.set(CAN, 7, 6);
      const restocked = await repository.restockLow(5, 20);
      const pots = restocked.find((l) => l.productId === POTS);
      assert.equal(pots?.quantity, 30);
      assert.equal(
        restocked.some((l) => l.productId === CAN),
        false,
      );
      assert.equal(await quantity(CAN), 7);
      assert.equal((await repository.lowStock()).length, 0);
      // At a reorder point of twice the threshold, 7 units of 6 is due for a delivery too.
      const reordered = await repository.restockLow(5, 20, 2);
      assert.equal(reordered.find((l) => l.productId === CAN)?.quantity, 30);
      assert.equal(
        reordered.some((l) => l.productId === POTS),
        false,
      );
      await repository.set(CAN, 10, 5);
      await repository.set(POTS, 10, 5);
    });

    it('returns the levels asked for, in the order asked, skipping unknown ids', async () => {
      const levels = await repository.levels([POTS, 'NOSUCHTHING', CAN, POTS]);
      assert.deepEqual(
        levels.map((l) => l.productId),
        [POTS, CAN],
      );
    });

    describe('reservations', () => {
      beforeEach(() => setAll([CAN, APRON, POTS], 10));

      it('takes every item out of stock and returns the new levels in the order asked', async () => {
        const result = await repository.reserve(randomUUID(), [
          { productId: POTS, quantity: 4 },
          { productId: CAN, quantity: 10 },
        ]);
        assert.equal(result.outcome, 'reserved');
        assert.ok(result.outcome === 'reserved');
        assert.deepEqual(
          result.changes.map((c) => [c.level.productId, c.level.quantity, c.previousQuantity]),
          [
            [POTS, 6, 10],
            [CAN, 0, 10],
          ],
        );
        assert.equal(await quantity(POTS), 6);
        assert.equal(await quantity(CAN), 0);
      });

      it('takes nothing when one item is short, naming that product', async () => {
        const result = await repository.reserve(randomUUID(), [
          { productId: CAN, quantity: 2 },
          { productId: POTS, quantity: 11 },
        ]);
        assert.deepEqual(result, {
          outcome: 'not enough stock',
          level: { productId: POTS, productName: 'Terracotta Pot Trio', quantity: 10, lowStockThreshold: 5 },
          requested: 11,
        });
        assert.equal(await quantity(CAN), 10);
        assert.equal(await quantity(POTS), 10);
      });

      it('takes nothing when a product is unknown', async () => {
        const id = randomUUID();
        const result = await repository.reserve(id, [
          { productId: CAN, quantity: 1 },
          { productId: 'NOSUCHTHING', quantity: 1 },
        ]);
        assert.deepEqual(result, { outcome: 'unknown product', productId: 'NOSUCHTHING' });
        assert.equal(await quantity(CAN), 10);
        assert.equal(await repository.release(id), undefined);
      });

      it('reserves once per reservation id', async () => {
        const id = randomUUID();
        await repository.reserve(id, [{ productId: CAN, quantity: 3 }]);
        const again = await repository.reserve(id, [{ productId: CAN, quantity: 3 }]);
        assert.deepEqual(again, {
          outcome: 'already reserved',
          levels: [{ productId: CAN, productName: 'Brass Watering Can', quantity: 7, lowStockThreshold: 5 }],
        });
        assert.equal(await quantity(CAN), 7);
      });

      it('puts a reservation back once; reserving the same id again is a new attempt', async () => {
        const id = randomUUID();
        await repository.reserve(id, [
          { productId: CAN, quantity: 3 },
          { productId: APRON, quantity: 2 },
        ]);
        const released = await repository.release(id);
        assert.deepEqual(
          released?.map((l: StockLevel) => [l.productId, l.quantity]),
          [
            [APRON, 10],
            [CAN, 10],
          ],
        );
        assert.equal(await repository.release(id), undefined);
        assert.equal(await repository.release('never-reserved'), undefined);
        assert.equal((await repository.reserve(id, [{ productId: CAN, quantity: 3 }])).outcome, 'reserved');
        assert.equal(await quantity(CAN), 7);
        assert.equal(
          (await repository.reserve(id, [{ productId: CAN, quantity: 3 }])).outcome,
          'already reserved',
        );
        assert.equal(await quantity(CAN), 7);
        const rows = await store.db.query<{ product_id: string; released: boolean }>(
          `SELECT product_id, released_at IS NOT NULL AS released FROM ${store.schema}.reservations
            WHERE reservation_id = $1`,
          [id],
        );
        assert.deepEqual(rows, [{ product_id: CAN, released: false }]);
        assert.ok(await repository.release(id));
        assert.equal(await quantity(CAN), 10);
      });

      it('never oversells when reservations race, whatever order their items come in', async () => {
        const attempts = Array.from({ length: 24 }, (_, i) =>
          repository.reserve(
            randomUUID(),
            i % 2 === 0
              ? [
                  { productId: CAN, quantity: 1 },
                  { productId: POTS, quantity: 1 },
                ]
              : [
                  { productId: POTS, quantity: 1 },
                  { productId: CAN, quantity: 1 },
                ],
          ),
        );
        const results = await Promise.all(attempts);
        assert.equal(results.filter((r) => r.outcome === 'reserved').length, 10);
        assert.equal(results.filter((r) => r.outcome === 'not enough stock').length, 14);
        assert.equal(await quantity(CAN), 0);
        assert.equal(await quantity(POTS), 0);
      });

      it('reserves a repeated id once when the repeats race', async () => {
        const id = randomUUID();
        const results = await Promise.all(
          Array.from({ length: 6 }, () => repository.reserve(id, [{ productId: APRON, quantity: 4 }])),
        );
        assert.equal(results.filter((r) => r.outcome === 'reserved').length, 1);
        assert.equal(results.filter((r) => r.outcome === 'already reserved').length, 5);
        assert.equal(await quantity(APRON), 6);
      });
    });

    it('sets a level and threshold, saying what they were', async () => {
      await repository.set(CAN, 40, 10);
      assert.deepEqual(await repository.set(CAN, 8, 12), {
        level: { productId: CAN, productName: 'Brass Watering Can', quantity: 8, lowStockThreshold: 12 },
        previousQuantity: 40,
        previousThreshold: 10,
      });
      assert.ok((await repository.lowStock()).some((l) => l.productId === CAN));
      assert.equal(await repository.set('NOSUCHTHING', 1, 1), undefined);
    });

    it('refuses a negative level in the database itself', async () => {
      await assert.rejects(
        store.db.query(`UPDATE ${store.schema}.stock SET quantity = -1 WHERE product_id = $1`, [CAN]),
        (error: { code?: string }) => error.code === '23514',
      );
    });
  });
}

for (const [name, open] of storeVariants('inventory_test', 'inventory', { poolSize: 8 })) {
  repositorySuite(name, open);
}
