import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { migrate } from '@glasshouse/kit';
import type { TestStore } from '@glasshouse/kit/testing';
import { storeVariants } from '@glasshouse/kit/testing';
import { inventoryMigrations } from './migrations.js';
import { StockRepository } from './repository.js';
import { StockReturns } from './returns.js';
import { returnProblem } from './validation.js';

const CAN = '66VCHSJNUP';
const APRON = '1YMWWN1N4O';

function returnsSuite(name: string, open: () => Promise<TestStore>): void {
  describe(`StockReturns on ${name}`, () => {
    let store: TestStore;
    let stock: StockRepository;
    let returns: StockReturns;
    const quantity = async (productId: string) => (await stock.levels([productId]))[0]?.quantity ?? -1;

    before(async () => {
      store = await open();
      await migrate(store.db, store.schema, inventoryMigrations(store.schema));
      stock = new StockRepository(store.db, store.schema);
      returns = new StockReturns(store.db, store.schema);
    });
    after(() => store.dispose());

    it('puts the items back once per return id, skipping products it does not stock', async () => {
      const [can, apron] = [await quantity(CAN), await quantity(APRON)];
      const levels = await returns.returnItems('rf-1', [
        { productId: CAN, quantity: 2 },
        { productId: 'NOTSTOCKED', quantity: 1 },
        { productId: APRON, quantity: 1 },
      ]);
      assert.deepEqual(
        levels?.map((l) => [l.productId, l.quantity]),
        [
          [APRON, apron + 1],
          [CAN, can + 2],
        ],
      );
      assert.equal(await returns.returnItems('rf-1', [{ productId: CAN, quantity: 2 }]), undefined);
      assert.equal(await quantity(CAN), can + 2, 'a repeated return put the goods back twice');
    });

    it('returns once when a retry races the original', async () => {
      const can = await quantity(CAN);
      const results = await Promise.all(
        [1, 2, 3].map(() => returns.returnItems('rf-race', [{ productId: CAN, quantity: 1 }])),
      );
      assert.equal(results.filter((r) => r !== undefined).length, 1);
      assert.equal(await quantity(CAN), can + 1);
    });
  });
}

for (const [name, open] of storeVariants('inventory_returns_test', 'inventory', { poolSize: 4 })) {
  returnsSuite(name, open);
}

describe('returnProblem', () => {
  it('names the field', () => {
    assert.equal(returnProblem({ returnId: 'rf-1', items: [{ productId: CAN, quantity: 1 }] }), undefined);
    assert.match(returnProblem({ returnId: '', items: [] }) ?? '', /^return_id:/);
    assert.match(returnProblem({ returnId: 'rf-1', items: [] }) ?? '', /^items: at least one/);
    assert.match(
      returnProblem({ returnId: 'rf-1', items: [{ productId: CAN, quantity: 0 }] }) ?? '',
      /quantity/,
    );
  });
});
