import { randomBytes } from 'node:crypto';
import { envReader } from '../config.js';
import type { Database } from '../database.js';
import { openDatabase } from '../database.js';
import { ServiceMetrics } from '../metrics.js';

/** The PostgreSQL that specs run against: TEST_POSTGRES_URL, else the local test database. */
export const TEST_POSTGRES_URL = envReader().string(
  'TEST_POSTGRES_URL',
  'postgres://postgres@127.0.0.1:5432/test',
);

/** The Redis that specs run against: TEST_REDIS_URL, else the local one. */
export const TEST_REDIS_URL = envReader().string('TEST_REDIS_URL', 'redis://127.0.0.1:6379');

/** A throwaway database and the schema a spec may fill; dispose() removes what the spec made. */
export interface TestStore {
  db: Database;
  schema: string;
  dispose(): Promise<void>;
}

export interface TestStoreOptions {
  /** Where the database records its queries; a fresh registry without default metrics when absent. */
  metrics?: ServiceMetrics;
  /** Connections in the PostgreSQL pool (ignored by PGlite). */
  poolSize?: number;
}

const metricsOf = (options: TestStoreOptions): ServiceMetrics =>
  options.metrics ?? new ServiceMetrics({ defaultMetrics: false });

/** An in-memory PGlite: gone when closed, so the schema can keep its production name. */
export async function openPgliteStore(schema: string, options: TestStoreOptions = {}): Promise<TestStore> {
  const db = await openDatabase({ metrics: metricsOf(options), namespace: schema });
  return { db, schema, dispose: () => db.close() };
}

/** The test PostgreSQL, in a schema `${prefix}_<12 hex>` of its own that dispose() drops. */
export async function openPostgresStore(prefix: string, options: TestStoreOptions = {}): Promise<TestStore> {
  const schema = `${prefix}_${randomBytes(6).toString('hex')}`;
  const db = await openDatabase({
    url: TEST_POSTGRES_URL,
    metrics: metricsOf(options),
    namespace: schema,
    ...(options.poolSize === undefined ? {} : { poolSize: options.poolSize }),
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
}

/** One way of opening a test store, named for the suite that runs on it. */
export type StoreVariant = readonly [name: string, open: () => Promise<TestStore>];

/** The embedded PGlite (schema pgliteSchema) and PostgreSQL (a fresh `${prefix}_…`), for a suite to run on each. */
export function storeVariants(
  prefix: string,
  pgliteSchema: string,
  options: TestStoreOptions = {},
): readonly StoreVariant[] {
  return [
    ['embedded PGlite', () => openPgliteStore(pgliteSchema, options)],
    ['PostgreSQL', () => openPostgresStore(prefix, options)],
  ];
}
