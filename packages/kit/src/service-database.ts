import { join } from 'node:path';
import type { Database, Migration } from './database.js';
import { migrate, openDatabase } from './database.js';
import { DEFAULT_PGLITE_DATA_DIR } from './pglite-init.js';
import type { ServiceContext } from './service.js';

/** A service's own database, opened and migrated. */
export interface ServiceDatabase {
  readonly db: Database;
  readonly schema: string;
  /** The migrations this start applied. */
  readonly applied: readonly number[];
}

/**
 * Opens the database a service owns (DATABASE_URL, else an embedded PGlite in
 * PGLITE_DATA_DIR/<service>), migrates its schema, closes it on shutdown and makes /readyz
 * follow it.
 */
export async function openServiceDatabase(
  context: Pick<ServiceContext, 'name' | 'env' | 'metrics' | 'onShutdown' | 'addReadinessCheck'>,
  schema: string,
  migrations: (schema: string) => Migration[],
): Promise<ServiceDatabase> {
  const { env } = context;
  const db = await openDatabase({
    url: env.url('DATABASE_URL')?.toString(),
    pgliteDataDir: join(env.string('PGLITE_DATA_DIR', DEFAULT_PGLITE_DATA_DIR), context.name),
    metrics: context.metrics,
    namespace: schema,
  });
  context.onShutdown('database', () => db.close());
  const applied = await migrate(db, schema, migrations(schema));
  context.addReadinessCheck({ name: 'database', check: () => db.ping() });
  return { db, schema, applied };
}
