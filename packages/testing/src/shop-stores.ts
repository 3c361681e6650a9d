import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Database, Migration, ServiceMetrics } from '@glasshouse/kit';
import { migrate, openDatabase } from '@glasshouse/kit';
import type { CartStore } from '@glasshouse/cart';
import { MemoryCartStore, RedisCartStore } from '@glasshouse/cart';

/** A service's database, migrated, in its own schema; `drop` removes what a test left behind. */
export interface TestDatabase {
  readonly db: Database;
  readonly schema: string;
  drop(): Promise<void>;
}

const suffix = (): string => randomBytes(4).toString('hex');

/**
 * An in-memory PGlite in the service's usual schema, or, given a URL, a real Postgres with a
 * schema unique to this run (`orders_1a2b3c4d`), dropped with CASCADE on `drop`.
 */
export async function openTestDatabase(
  schemaName: string,
  migrations: (schema: string) => Migration[],
  metrics: ServiceMetrics,
  url?: string,
): Promise<TestDatabase> {
  const schema = url ? `${schemaName}_${suffix()}` : schemaName;
  const db = await openDatabase({ url, metrics, namespace: schema, poolSize: 5 });
  try {
    await migrate(db, schema, migrations(schema));
  } catch (error) {
    await db.close();
    throw error;
  }
  let dropped: Promise<void> | undefined;
  return {
    db,
    schema,
    drop() {
      dropped ??= (async () => {
        try {
          if (url) await db.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        } finally {
          await db.close();
        }
      })();
      return dropped;
    },
  };
}

/** A cart store and how to get rid of it: memory, or Redis under a key prefix deleted on `drop`. */
export interface TestCartStore {
  readonly store: CartStore;
  drop(): Promise<void>;
}

export function openTestCartStore(redisUrl?: string): TestCartStore {
  if (!redisUrl) {
    const store = new MemoryCartStore();
    return { store, drop: () => store.close() };
  }
  const keyPrefix = `test:cart:${suffix()}:`;
  const store = new RedisCartStore({ url: redisUrl, keyPrefix });
  return {
    store,
    async drop() {
      await store.close();
      const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
      try {
        const keys = await redis.keys(`${keyPrefix}*`);
        if (keys.length > 0) await redis.del(...keys);
      } finally {
        await redis.quit();
      }
    },
  };
}
