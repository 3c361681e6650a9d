import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Database, Migration } from './database.js';
import { describeQuery, migrate } from './database.js';
import { ServiceMetrics } from './metrics.js';
import type { TestStore, TestStoreOptions } from './testing/index.js';
import { openPgliteStore, openPostgresStore } from './testing/index.js';
import { waitFor } from './wait.js';

const migrationsFor = (schema: string): Migration[] => [
  // Out of order on purpose: migrate sorts by version.
  {
    version: 2,
    name: 'orders and items',
    sql: `CREATE TABLE ${schema}.orders (id bigint PRIMARY KEY, total_units bigint NOT NULL, email text NOT NULL);
          CREATE TABLE ${schema}.order_items (order_id bigint NOT NULL REFERENCES ${schema}.orders (id), sku text NOT NULL);
          CREATE INDEX order_items_order ON ${schema}.order_items (order_id);`,
  },
  {
    version: 1,
    name: 'counter',
    sql: `CREATE TABLE ${schema}.counter (n integer NOT NULL); INSERT INTO ${schema}.counter VALUES (0);`,
  },
];

function databaseSuite(
  kind: 'pglite' | 'postgres',
  open: (options: TestStoreOptions) => Promise<TestStore>,
): void {
  describe(`Database (${kind})`, () => {
    const metrics = new ServiceMetrics({ defaultMetrics: false });
    let store: TestStore | undefined;
    let db: Database;
    let schema: string;

    before(async () => {
      store = await open({ metrics, poolSize: 4 });
      ({ db, schema } = store);
    });

    after(() => store?.dispose());

    it(`is ${kind} and answers a ping`, async () => {
      assert.equal(db.kind, kind);
      await db.ping();
    });

    it('applies migrations once, in version order, several statements each', async () => {
      assert.deepEqual(await migrate(db, schema, migrationsFor(schema)), [1, 2]);
      assert.deepEqual(await migrate(db, schema, migrationsFor(schema)), []);
      const recorded = await db.query<{ version: number; name: string }>(
        `SELECT version, name FROM ${schema}.schema_migrations ORDER BY version`,
      );
      assert.deepEqual(recorded, [
        { version: 1, name: 'counter' },
        { version: 2, name: 'orders and items' },
      ]);
      assert.deepEqual(await db.query(`SELECT n FROM ${schema}.counter`), [{ n: 0 }]);
      const indexes = await db.query<{ indexname: string }>(
        'SELECT indexname FROM pg_indexes WHERE schemaname = $1',
        [schema],
      );
      assert.ok(indexes.some((i) => i.indexname === 'order_items_order'));
    });

    it('records nothing of a migration that fails, and applies it once fixed', async () => {
      const broken: Migration = {
        version: 3,
        name: 'notes',
        sql: `CREATE TABLE ${schema}.notes (x int); SELECT nope FROM nowhere;`,
      };
      await assert.rejects(migrate(db, schema, [...migrationsFor(schema), broken]));
      const tables = await db.query(
        'SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2',
        [schema, 'notes'],
      );
      assert.deepEqual(tables, []);
      const fixed = { ...broken, sql: `CREATE TABLE ${schema}.notes (x int);` };
      assert.deepEqual(await migrate(db, schema, [...migrationsFor(schema), fixed]), [3]);
    });

    it('lets only one of two concurrent migrations apply them', async () => {
      const race = `${schema}_race`;
      try {
        const results = await Promise.all([
          migrate(db, race, migrationsFor(race)),
          migrate(db, race, migrationsFor(race)),
        ]);
        assert.deepEqual(results.map((r) => r.join()).sort(), ['', '1,2']);
      } finally {
        await db.exec(`DROP SCHEMA IF EXISTS ${race} CASCADE`);
      }
    });

    it('refuses a schema name that is not a plain identifier', async () => {
      await assert.rejects(migrate(db, 'x; DROP TABLE y', []), {
        message: 'bad schema name x; DROP TABLE y',
      });
    });

    it('returns bigint columns as bigint, exactly', async () => {
      const big = 9_007_199_254_740_993n; // 2^53 + 1: a number would round it
      await db.query(`INSERT INTO ${schema}.orders (id, total_units, email) VALUES ($1, $2, $3)`, [
        1n,
        big,
        'a@b.c',
      ]);
      const [row] = await db.query<{ id: unknown; total_units: unknown; n: unknown }>(
        `SELECT id, total_units, count(*) OVER () AS n FROM ${schema}.orders WHERE id = $1`,
        [1],
      );
      assert.equal(row?.total_units, big);
      assert.equal(row?.id, 1n);
      assert.equal(row?.n, 1n, 'count(*) is a bigint too');
    });

    it('commits a transaction whose callback resolves', async () => {
      const result = await db.transaction(async (tx) => {
        await tx.query(`UPDATE ${schema}.counter SET n = n + 1`);
        await tx.query(`INSERT INTO ${schema}.order_items (order_id, sku) VALUES ($1, $2)`, [1, 'SKU-1']);
        return (await tx.query<{ n: number }>(`SELECT n FROM ${schema}.counter`))[0]?.n;
      });
      assert.equal(result, 1);
      assert.deepEqual(await db.query(`SELECT n FROM ${schema}.counter`), [{ n: 1 }]);
      assert.deepEqual(await db.query(`SELECT sku FROM ${schema}.order_items`), [{ sku: 'SKU-1' }]);
    });

    it('rolls back a transaction whose callback throws, and rethrows', async () => {
      const failure = new Error('payment declined');
      await assert.rejects(
        db.transaction(async (tx) => {
          await tx.query(`UPDATE ${schema}.counter SET n = n + 100`);
          await tx.exec(`INSERT INTO ${schema}.order_items (order_id, sku) VALUES (1, 'SKU-2')`);
          throw failure;
        }),
        (error: unknown) => error === failure,
      );
      assert.deepEqual(await db.query(`SELECT n FROM ${schema}.counter`), [{ n: 1 }]);
      assert.deepEqual(await db.query(`SELECT sku FROM ${schema}.order_items`), [{ sku: 'SKU-1' }]);
      await db.ping();
    });

    it('measures each query in db_client_operation_duration_seconds', async () => {
      await db.query(`SELECT * FROM ${schema}.orders WHERE id = $1`, [1]);
      await assert.rejects(db.query(`SELECT * FROM ${schema}.missing`), { code: '42P01' });
      const { body } = await metrics.scrape();
      const count = (labels: string) =>
        new RegExp(
          `^db_client_operation_duration_seconds_count\\{db_system_name="postgresql",${labels}\\} (\\d+)$`,
          'm',
        ).exec(body)?.[1];
      assert.ok(Number(count(`db_operation_name="SELECT",db_collection_name="${schema}.orders"`)) >= 1, body);
      assert.equal(
        count(`db_operation_name="SELECT",db_collection_name="${schema}.missing",error_type="42P01"`),
        '1',
      );
      assert.ok(Number(count(`db_operation_name="INSERT",db_collection_name="${schema}.orders"`)) >= 1);
    });
  });
}

describe('Database (postgres) pool', () => {
  it('exposes its saturation: connections used and idle, its size, the queries waiting', async () => {
    const metrics = new ServiceMetrics({ defaultMetrics: false });
    const store = await openPostgresStore('kit_pool', { metrics, poolSize: 2 });
    try {
      const value = async (series: string) =>
        Number(new RegExp(`^${series} (\\S+)$`, 'm').exec((await metrics.scrape()).body)?.[1]);
      const pool = `db_client_connection_pool_name="${store.schema}"`;
      let release = (): void => undefined;
      const held = new Promise<void>((resolve) => (release = resolve));
      const transactions = [1, 2].map(() => store.db.transaction(() => held));
      const waiting = store.db.query('SELECT 1');
      await waitFor(async () => (await value(`db_client_connection_pending_requests{${pool}}`)) === 1, {
        what: 'a query waiting for a connection',
      });
      assert.equal(await value(`db_client_connection_count{${pool},db_client_connection_state="used"}`), 2);
      assert.equal(await value(`db_client_connection_max{${pool}}`), 2);
      release();
      await Promise.all([...transactions, waiting]);
      assert.equal(await value(`db_client_connection_pending_requests{${pool}}`), 0);
      assert.equal(await value(`db_client_connection_count{${pool},db_client_connection_state="used"}`), 0);
    } finally {
      await store.dispose();
    }
  });
});

databaseSuite('pglite', (options) => openPgliteStore('kit_test', options));
databaseSuite('postgres', (options) => openPostgresStore('kit_test', options));

describe('Database (pglite) under queries that arrive together', () => {
  let store: TestStore | undefined;
  after(() => store?.dispose());

  it('runs each in a turn of the event loop of its own, so an answer goes out before the next query', async () => {
    store = await openPgliteStore('kit_turns', { metrics: new ServiceMetrics({ defaultMetrics: false }) });
    const { db } = store;
    // Counts turns of the loop: the check phase, where node:http2 flushes the frames written.
    let turn = 0;
    let ticking = true;
    const tick = (): void => {
      turn += 1;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const turns = await Promise.all(
      [1, 2, 3].map((n) => db.query<{ n: number }>('SELECT $1::int AS n', [n]).then(() => turn)),
    );
    ticking = false;
    assert.equal(new Set(turns).size, 3, `answered in turns ${turns.join(', ')}`);
  });
});

describe('describeQuery', () => {
  it('finds the operation and the table', () => {
    assert.deepEqual(describeQuery('SELECT * FROM catalog.products WHERE id = $1'), {
      operation: 'SELECT',
      collection: 'catalog.products',
    });
    assert.deepEqual(describeQuery('  insert into orders (id) values ($1)'), {
      operation: 'INSERT',
      collection: 'orders',
    });
    assert.deepEqual(describeQuery('update "carts" set x = 1'), { operation: 'UPDATE', collection: 'carts' });
    assert.deepEqual(describeQuery('DELETE FROM cart.items WHERE user_id = $1'), {
      operation: 'DELETE',
      collection: 'cart.items',
    });
    assert.deepEqual(describeQuery('CREATE TABLE shop.t (id int)'), {
      operation: 'CREATE',
      collection: 'shop.t',
    });
  });

  it('gives only the operation when there is no table', () => {
    assert.deepEqual(describeQuery('select 1'), { operation: 'SELECT' });
    assert.deepEqual(describeQuery('BEGIN'), { operation: 'BEGIN' });
    assert.deepEqual(describeQuery(''), { operation: 'QUERY' });
  });

  it('names a statement with a WITH clause after its first write', () => {
    assert.deepEqual(
      describeQuery(
        `WITH locked AS (SELECT id FROM shop.stock ORDER BY id FOR NO KEY UPDATE OF stock),
              taken AS (UPDATE shop.stock SET n = n - 1 FROM locked WHERE stock.id = locked.id RETURNING *)
         SELECT * FROM taken`,
      ),
      { operation: 'UPDATE', collection: 'shop.stock' },
    );
    assert.deepEqual(
      describeQuery(
        'WITH o AS (INSERT INTO shop.orders VALUES ($1) ON CONFLICT (id) DO NOTHING RETURNING id) ' +
          'INSERT INTO shop.lines SELECT id FROM o',
      ),
      { operation: 'INSERT', collection: 'shop.orders' },
    );
    assert.deepEqual(describeQuery('WITH recent AS (SELECT 1 FROM shop.orders) SELECT * FROM recent'), {
      operation: 'WITH',
      collection: 'shop.orders',
    });
  });

  it('keeps both parts of a quoted schema-qualified table', () => {
    assert.deepEqual(describeQuery('SELECT * FROM "cart"."items"'), {
      operation: 'SELECT',
      collection: 'cart.items',
    });
  });
});
