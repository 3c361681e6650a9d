import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { orders } from '@glasshouse/contracts';
import type { Database, Migration } from '@glasshouse/kit';
import { ServiceMetrics, migrate, openDatabase } from '@glasshouse/kit';
import { TEST_POSTGRES_URL } from '@glasshouse/kit/testing';
import { inventoryMigrations } from '@glasshouse/inventory';
import { orderMigrations } from '@glasshouse/orders';
import { catalogMigrations } from '@glasshouse/productcatalog';
import { StockRepository } from '../services/inventory/src/repository.js';
import { OrderRepository } from '../services/orders/src/repository.js';

const run = promisify(execFile);
const BACKUP = join(__dirname, '..', 'deploy', 'backup', 'backup.sh');
const RESTORE = join(__dirname, '..', 'deploy', 'backup', 'restore.sh');
const metrics = new ServiceMetrics({ defaultMetrics: false });

/** The shop's databases, each with its owner's schema and migrations (database per service). */
const OWNERS: readonly { schema: string; migrations: (schema: string) => Migration[] }[] = [
  { schema: 'catalog', migrations: catalogMigrations },
  { schema: 'orders', migrations: orderMigrations },
  { schema: 'inventory', migrations: inventoryMigrations },
];
const PRODUCTS = ['OLJCESPC7Z', '66VCHSJNUP', '1YMWWN1N4O', 'L9ECAV7KIM', '2ZYFJ3GM2N'];

const prefix = `gh_backup_${randomBytes(4).toString('hex')}`;
const databaseName = (schema: string): string => `${prefix}_${schema}`;
const urlOf = (schema: string): string => {
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${databaseName(schema)}`;
  return url.href;
};
const targets = (): string[] => OWNERS.map((o) => urlOf(o.schema));

async function withDatabase<T>(url: string, use: (db: Database) => Promise<T>): Promise<T> {
  const namespace = new URL(url).pathname.slice(1);
  const db = await openDatabase({ url, metrics, poolSize: 2, namespace });
  try {
    return await use(db);
  } finally {
    await db.close();
  }
}
const admin = <T>(use: (db: Database) => Promise<T>): Promise<T> => withDatabase(TEST_POSTGRES_URL, use);

/** Every row of every table of a database's schema, as sorted JSON text, by table. */
async function contents(schema: string): Promise<Record<string, string[]>> {
  return withDatabase(urlOf(schema), async (db) => {
    const tables = await db.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables
        WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY table_name`,
      [schema],
    );
    const result: Record<string, string[]> = {};
    for (const { table_name: table } of tables) {
      const rows = await db.query<{ row: string }>(
        `SELECT row_to_json(t)::text AS row FROM ${schema}.${table} t`,
      );
      result[table] = rows.map((r) => r.row).sort();
    }
    return result;
  });
}
const everything = async (): Promise<Record<string, Record<string, string[]>>> =>
  Object.fromEntries(
    await Promise.all(OWNERS.map(async (o) => [o.schema, await contents(o.schema)] as const)),
  );

const usd = (units: bigint, nanos = 0) => ({ currencyCode: 'USD', units, nanos });

/** Orders as checkout leaves them: the order and its lines stored, the stock reserved for it. */
async function placeOrders(count: number): Promise<void> {
  await withDatabase(urlOf('orders'), (ordersDb) =>
    withDatabase(urlOf('inventory'), async (inventoryDb) => {
      const orderRepository = new OrderRepository(ordersDb, 'orders');
      const stock = new StockRepository(inventoryDb, 'inventory');
      for (let n = 0; n < count; n++) {
        const orderId = randomUUID();
        const lines = [PRODUCTS[n % PRODUCTS.length] ?? '', PRODUCTS[(n + 2) % PRODUCTS.length] ?? ''];
        const reservation = await stock.reserve(
          orderId,
          lines.map((productId, i) => ({ productId, quantity: i + 1 })),
        );
        assert.equal(reservation.outcome, 'reserved');
        await orderRepository.create({
          orderId,
          userId: `shopper-${n % 3}`,
          emailMasked: 's***@example.org',
          status: orders.OrderStatus.ORDER_STATUS_PLACED,
          total: usd(BigInt(20 + n), 990_000_000),
          shippingCost: usd(8n, 990_000_000),
          shippingAddress: {
            streetAddress: `${n} Main St`,
            city: 'Springfield',
            state: 'IL',
            country: 'US',
            zipCode: 62701,
          },
          shippingTrackingId: `TR-${n}`,
          transactionId: `tx-${n}`,
          items: lines.map((productId, i) => ({
            item: { productId, quantity: i + 1 },
            cost: usd(BigInt(5 + i)),
          })),
          createdAt: undefined,
          refunds: [],
        });
      }
    }),
  );
}

async function recreateDatabases(): Promise<void> {
  await admin(async (db) => {
    for (const { schema } of OWNERS) {
      await db.exec(`DROP DATABASE IF EXISTS ${databaseName(schema)} WITH (FORCE)`);
      await db.exec(`CREATE DATABASE ${databaseName(schema)}`);
    }
  });
}

describe('deploy/backup against the local PostgreSQL', () => {
  let backups = '';

  before(async () => {
    backups = await mkdtemp(join(tmpdir(), 'glasshouse-backups-'));
    await recreateDatabases();
    for (const owner of OWNERS)
      await withDatabase(urlOf(owner.schema), (db) =>
        migrate(db, owner.schema, owner.migrations(owner.schema)),
      );
    await placeOrders(6);
  });

  after(async () => {
    await admin(async (db) => {
      for (const { schema } of OWNERS)
        await db.exec(`DROP DATABASE IF EXISTS ${databaseName(schema)} WITH (FORCE)`);
    });
    await rm(backups, { recursive: true, force: true });
  });

  it('dumps every database, wipes them, restores, and finds every order, line and stock level as it was', async () => {
    const before = await everything();
    assert.equal(before.orders?.orders?.length, 6);
    assert.equal(before.orders?.order_items?.length, 12);
    assert.equal(before.inventory?.reservations?.length, 12);
    assert.ok((before.catalog?.products?.length ?? 0) > 0, 'the catalog is seeded');

    const { stdout } = await run('bash', [BACKUP, '-d', backups, ...targets()]);
    const runDir = stdout.trim().split('\n').at(-1) ?? '';
    assert.deepEqual(
      (await readdir(runDir)).sort(),
      OWNERS.map((o) => `${databaseName(o.schema)}.dump`).sort(),
    );

    await recreateDatabases();
    assert.deepEqual(await contents('orders'), {}, 'wiped');

    await run('bash', [RESTORE, runDir, ...targets()]);
    assert.deepEqual(await everything(), before);

    // A restore over live data puts the dump's state back: the orders placed since go away.
    await placeOrders(2);
    assert.notDeepEqual(await everything(), before);
    await run('bash', [RESTORE, runDir, ...targets()]);
    assert.deepEqual(await everything(), before);
  });

  it('keeps only the newest runs with -k, and leaves no dump for a database that is not there', async () => {
    const dir = join(backups, 'kept');
    for (let n = 0; n < 3; n++) await run('bash', [BACKUP, '-d', dir, '-k', '2', urlOf('orders')]);
    assert.equal((await readdir(dir)).length, 2);

    const missing = urlOf('nowhere');
    await assert.rejects(
      run('bash', [BACKUP, '-d', join(backups, 'failed'), missing]),
      /pg_dump|does not exist/,
    );
    const [failedRun] = await readdir(join(backups, 'failed'));
    assert.deepEqual(await readdir(join(backups, 'failed', failedRun ?? '')), [], 'no partial dump left');
    await assert.rejects(
      run('bash', [RESTORE, join(backups, 'failed', failedRun ?? ''), urlOf('orders')]),
      /missing/,
    );
  });
});
