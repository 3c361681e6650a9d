import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Database } from '@glasshouse/kit';
import { ServiceMetrics, migrate, openDatabase } from '@glasshouse/kit';
import { catalogMigrations } from './migrations.js';
import { ProductRepository } from './repository.js';
import { SEED_PRODUCTS } from './seed-products.js';

const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const ONLINE_BOUTIQUE_IDS = [
  'OLJCESPC7Z',
  '66VCHSJNUP',
  '1YMWWN1N4O',
  'L9ECAV7KIM',
  '2ZYFJ3GM2N',
  '0PUK6V6EV0',
  'LS4PSXUNUM',
  '9SIQT8TOJO',
  '6E92ZMYYFZ',
];

interface Store {
  db: Database;
  schema: string;
  /** Removes what the suite created, then closes the database. */
  dispose(): Promise<void>;
}

const ids = (products: ReadonlyArray<{ id: string }>): string[] => products.map((p) => p.id);

function repositorySuite(name: string, open: () => Promise<Store>): void {
  describe(`ProductRepository on ${name}`, () => {
    let store: Store;
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
      for (const id of ONLINE_BOUTIQUE_IDS) assert.ok(ids(products).includes(id), `missing ${id}`);
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

repositorySuite('embedded PGlite', async () => {
  const db = await openDatabase({
    metrics: new ServiceMetrics({ defaultMetrics: false }),
    namespace: 'catalog',
  });
  return { db, schema: 'catalog', dispose: () => db.close() };
});

repositorySuite('PostgreSQL', async () => {
  const schema = `catalog_test_${randomBytes(6).toString('hex')}`;
  const db = await openDatabase({
    url: POSTGRES_URL,
    metrics: new ServiceMetrics({ defaultMetrics: false }),
    namespace: schema,
    poolSize: 2,
  });
  return {
    db,
    schema,
    async dispose() {
      try {
        await db.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await db.close();
      }
    },
  };
});
