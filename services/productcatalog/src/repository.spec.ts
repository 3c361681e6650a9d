import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { migrate } from '@glasshouse/kit';
import type { TestStore } from '@glasshouse/kit/testing';
import { ONLINE_BOUTIQUE_PRODUCT_IDS, storeVariants } from '@glasshouse/kit/testing';
import { catalogMigrations } from './migrations.js';
import { ProductRepository } from './repository.js';
import { SEED_PRODUCTS } from './seed-products.js';

const ids = (products: ReadonlyArray<{ id: string }>): string[] => products.map((p) => p.id);

function repositorySuite(name: string, open: () => Promise<TestStore>): void {
  describe(`ProductRepository on ${name}`, () => {
    let store: TestStore;
    let repository: ProductRepository;

    before(async () => {
      store = await open();
      repository = new ProductRepository(store.db, store.schema);
    });
    after(() => store.dispose());

    it('migrates, seeding every product', async () => {
      assert.deepEqual(await migrate(store.db, store.schema, catalogMigrations(store.schema)), [1, 2]);
      const products = await repository.list();
      assert.equal(products.length, SEED_PRODUCTS.length);
      assert.deepEqual(new Set(ids(products)), new Set(ids(SEED_PRODUCTS)));
      for (const id of ONLINE_BOUTIQUE_PRODUCT_IDS) assert.ok(ids(products).includes(id), `missing ${id}`);
    });

    it('applies nothing when migrated again', async () => {
      assert.deepEqual(await migrate(store.db, store.schema, catalogMigrations(store.schema)), []);
      assert.equal((await repository.list()).length, SEED_PRODUCTS.length);
    });

    it('returns a product with its price in bigint units and nanos, and its categories', async () => {
      const can = await repository.get('66VCHSJNUP');
      assert.deepEqual(can, {
        id: '66VCHSJNUP',
        name: 'Brass Watering Can',
        description: SEED_PRODUCTS.find((p) => p.id === '66VCHSJNUP')?.description,
        picture: '/static/img/products/watering-can.svg',
        priceUsd: { currencyCode: 'USD', units: 42n, nanos: 500_000_000 },
        categories: ['garden'],
      });
      const kit = await repository.get('OLJCESPC7Z');
      assert.equal(typeof kit?.priceUsd?.units, 'bigint');
      assert.deepEqual(kit?.categories, ['decor', 'garden']);
    });

    it('lists every seeded price exactly', async () => {
      for (const product of await repository.list()) {
        const seed = SEED_PRODUCTS.find((p) => p.id === product.id);
        assert.deepEqual(product.priceUsd, {
          currencyCode: 'USD',
          units: BigInt(seed?.priceUsd.units ?? -1),
          nanos: seed?.priceUsd.nanos,
        });
      }
    });

    it('returns undefined for an unknown id', async () => {
      assert.equal(await repository.get('UNKNOWN000'), undefined);
      assert.equal(await repository.get(''), undefined);
    });

    it('searches names case-insensitively', async () => {
      assert.deepEqual(ids(await repository.search('TERRARIUM')), ['OLJCESPC7Z']);
      assert.deepEqual(ids(await repository.search('brass watering')), ['66VCHSJNUP']);
    });

    it('searches descriptions case-insensitively', async () => {
      // "apiary" appears only in the beeswax candle's description.
      assert.deepEqual(ids(await repository.search('APIARY')), ['B3WXK8N1RA']);
    });

    it('matches an exact category, not a part of one', async () => {
      const boots = SEED_PRODUCTS.find((p) => p.id === 'LS4PSXUNUM');
      assert.ok(boots && !`${boots.name} ${boots.description}`.toLowerCase().includes('footwear'));
      assert.deepEqual(ids(await repository.search('Footwear')), ['LS4PSXUNUM']);
      assert.deepEqual(await repository.search('footwea'), []);
    });

    it('orders results by name', async () => {
      const names = (await repository.search('garden')).map((p) => p.name);
      assert.ok(names.length > 3);
      assert.deepEqual(
        names,
        [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
      );
    });

    it('treats % and _ literally', async () => {
      assert.deepEqual(await repository.search('%'), []);
      assert.deepEqual(await repository.search('_'), []);
      assert.deepEqual(await repository.search('\\'), []);
      assert.deepEqual(await repository.search('gl%s'), []);
      await store.db.query(
        `INSERT INTO ${store.schema}.products (id, name, price_usd_units, price_usd_nanos)
         VALUES ('ZZPERCENT1', '50% Off Seed_Bundle', 5, 0)`,
      );
      try {
        assert.deepEqual(ids(await repository.search('%')), ['ZZPERCENT1']);
        assert.deepEqual(ids(await repository.search('d_b')), ['ZZPERCENT1']);
        assert.deepEqual(await repository.search('5_%'), []);
      } finally {
        await store.db.query(`DELETE FROM ${store.schema}.products WHERE id = 'ZZPERCENT1'`);
      }
    });
  });
}

for (const [name, open] of storeVariants('catalog_test', 'catalog', { poolSize: 2 })) {
  repositorySuite(name, open);
}
