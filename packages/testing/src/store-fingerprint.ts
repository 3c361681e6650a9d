import { randomBytes } from 'node:crypto';
import type { Database } from '@glasshouse/kit';
import { ServiceMetrics, openDatabase } from '@glasshouse/kit';
import { TEST_POSTGRES_URL } from '@glasshouse/kit/testing';

/** A database of its own on the test PostgreSQL, for a process shop; `drop` removes it. */
export interface FreshDatabase {
  readonly url: string;
  /** A connection to it, for reading what the shop stored. */
  readonly db: Database;
  drop(): Promise<void>;
}

export async function openFreshDatabase(prefix: string): Promise<FreshDatabase> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  const metrics = new ServiceMetrics({ defaultMetrics: false });
  const admin = await openDatabase({ url: TEST_POSTGRES_URL, metrics, namespace: prefix });
  await admin.exec(`CREATE DATABASE ${name}`);
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  const db = await openDatabase({ url: url.toString(), metrics, namespace: prefix, poolSize: 2 });
  let dropped: Promise<void> | undefined;
  return {
    url: url.toString(),
    db,
    drop() {
      dropped ??= (async () => {
        try {
          await db.close();
          await admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        } finally {
          await admin.close();
        }
      })();
      return dropped;
    },
  };
}

/** Rows and a digest of their text, per table (`orders.orders` → "3 9f86d0…"). */
export type StoreFingerprint = Readonly<Record<string, string>>;

/**
 * What every table of every schema in `db` holds, as a count and an md5 of its rows: two equal
 * fingerprints mean nothing was written in between. Cheap on a test shop's few hundred rows.
 */
export async function storeFingerprint(db: Database): Promise<StoreFingerprint> {
  const tables = await db.query<{ name: string }>(
    `SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS name
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
        AND n.nspname NOT LIKE 'pg\\_%'
      ORDER BY 1`,
  );
  if (tables.length === 0) return {};
  const rows = await db.query<{ name: string; digest: string }>(
    tables
      .map(
        ({ name }) =>
          `SELECT '${name}' AS name, count(*) || ' ' || md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) AS digest FROM ${name} t`,
      )
      .join(' UNION ALL '),
  );
  return Object.fromEntries(rows.map((r) => [r.name, r.digest]));
}

/** The tables whose fingerprint differs, with before → after. */
export function changedTables(before: StoreFingerprint, after: StoreFingerprint): string[] {
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return names
    .filter((name) => before[name] !== after[name])
    .map((name) => `${name}: ${before[name] ?? 'absent'} → ${after[name] ?? 'absent'}`);
}
