import type { Span } from '@opentelemetry/api';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { mkdirSync } from 'node:fs';
import type { PoolClient } from 'pg';
import pg from 'pg';
import type { ServiceMetrics } from './metrics.js';
import { observeDuration } from './metrics.js';
import { initPgliteDataDir } from './pglite-init.js';
import { PreparedStatements } from './pglite-statements.js';

/** Something that runs SQL: the database, or a transaction on it. */
export interface Queryable {
  query<R>(text: string, params?: readonly unknown[]): Promise<R[]>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(script: string): Promise<void>;
}

export interface Database extends Queryable {
  /** `postgres` (a real server over the wire) or `pglite` (embedded, in this process). */
  readonly kind: 'postgres' | 'pglite';
  /** Runs fn in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** A postgres:// URL; when absent the database is an embedded PGlite. */
  url?: string | undefined;
  /** Where the embedded PGlite keeps its files; absent means in memory. */
  pgliteDataDir?: string | undefined;
  metrics: ServiceMetrics;
  poolSize?: number;
  /** Names this service's database in spans (db.namespace). */
  namespace: string;
}

const INT8 = 20;
const NUMERIC = 1700;
const tracer = trace.getTracer('@glasshouse/kit/database');

const NAME = String.raw`((?:"[^"]+"|\w+)(?:\.(?:"[^"]+"|\w+))?)`;
const TABLE = new RegExp(
  String.raw`\b(?:from|into|update|join|table)\s+(?:if\s+(?:not\s+)?exists\s+)?` + NAME,
  'i',
);
// A write, but not a row lock (FOR [NO KEY] UPDATE) nor an upsert's DO UPDATE.
const WRITE = new RegExp(
  String.raw`\b(insert|(?<!\b(?:for|key|do)\s+)update|delete)\s+(?:into\s+|from\s+)?` + NAME,
  'i',
);

/**
 * `SELECT … FROM catalog.products` → operation SELECT, collection catalog.products. A statement
 * with a WITH clause is named after its first write (`WITH taken AS (UPDATE inventory.stock …`
 * → UPDATE inventory.stock): that is what it is for when one statement does several things.
 */
export function describeQuery(text: string): { operation: string; collection?: string } {
  const operation = (/^\s*(\w+)/.exec(text)?.[1] ?? 'QUERY').toUpperCase();
  const write = operation === 'WITH' ? WRITE.exec(text) : null;
  const [verb, name] = write
    ? [write[1]?.toUpperCase() ?? operation, write[2]]
    : [operation, TABLE.exec(text)?.[1]];
  const collection = name?.replaceAll('"', '');
  return collection ? { operation: verb, collection } : { operation: verb };
}

/**
 * One database span and one db_client_operation_duration_seconds observation per query,
 * the same for Postgres and PGlite (the pg instrumentation could not see PGlite).
 */
function measured(metrics: ServiceMetrics, namespace: string, run: Queryable['query']): Queryable['query'] {
  return async <R>(text: string, params?: readonly unknown[]): Promise<R[]> => {
    const { operation, collection } = describeQuery(text);
    const attributes = {
      'db.system.name': 'postgresql',
      'db.namespace': namespace,
      'db.operation.name': operation,
      'db.query.text': text,
      ...(collection ? { 'db.collection.name': collection } : {}),
    };
    const spanName = collection ? `${operation} ${collection}` : operation;
    return tracer.startActiveSpan(spanName, { kind: SpanKind.CLIENT, attributes }, async (span: Span) => {
      const start = process.hrtime.bigint();
      const labels = {
        db_system_name: 'postgresql',
        db_operation_name: operation,
        db_collection_name: collection ?? '',
      };
      try {
        const rows = await run<R>(text, params);
        observeDuration(
          metrics.dbClientDuration,
          labels,
          Number(process.hrtime.bigint() - start) / 1e9,
          span,
        );
        return rows;
      } catch (error) {
        const errorType =
          (error as { code?: string }).code ?? (error instanceof Error ? error.name : 'Error');
        span.setAttribute('error.type', errorType);
        span.setStatus({
          code: SpanStatusCode.ERROR,
          message: error instanceof Error ? error.message : String(error),
        });
        observeDuration(
          metrics.dbClientDuration,
          { ...labels, error_type: errorType },
          Number(process.hrtime.bigint() - start) / 1e9,
          span,
        );
        throw error;
      } finally {
        span.end();
      }
    });
  };
}

function postgresDatabase(options: DatabaseOptions & { url: string }): Database {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30_000,
    types: {
      getTypeParser: (oid: number, format?: string): ((value: string) => unknown) =>
        oid === INT8
          ? (value: string) => BigInt(value)
          : (pg.types.getTypeParser(oid, format as 'text') as (value: string) => unknown),
    },
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  // Its saturation (seed 003), in the db_client_connection_* gauges.
  options.metrics.watchPool(options.namespace, pool, options.poolSize ?? 10);
  const runOn =
    (client: pg.Pool | PoolClient) =>
    async <R>(text: string, params?: readonly unknown[]) =>
      (await client.query(text, params as unknown[])).rows as R[];
  const execOn = (client: pg.Pool | PoolClient) => async (script: string) => {
    await client.query(script);
  };
  return {
    kind: 'postgres',
    query: measured(options.metrics, options.namespace, runOn(pool)),
    exec: execOn(pool),
    async transaction(fn) {
      const client = await pool.connect();
      const tx: Queryable = {
        query: measured(options.metrics, options.namespace, runOn(client)),
        exec: execOn(client),
      };
      try {
        await tx.query('BEGIN');
        const result = await fn(tx);
        await tx.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async ping() {
      await pool.query('SELECT 1');
    },
    close: () => {
      options.metrics.unwatchPool(options.namespace);
      return pool.end();
    },
  };
}

/**
 * Resolves in the check phase of the event loop, after the writes node:http2 has scheduled.
 * PGlite runs a statement synchronously (WASM) and its queries wait in line for one another:
 * without a turn of the loop between them, gRPC requests that arrive together are answered
 * together, the first answer held back until the last statement ran (2–3 ms under checkout load).
 */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function pgliteDatabase(options: DatabaseOptions): Promise<Database> {
  const { PGlite, protocol, parse } = await import('@electric-sql/pglite');
  if (options.pgliteDataDir) {
    mkdirSync(options.pgliteDataDir, { recursive: true });
    await initPgliteDataDir(options.pgliteDataDir);
  }
  const db = await PGlite.create({
    ...(options.pgliteDataDir ? { dataDir: options.pgliteDataDir } : {}),
    // Postgres touches its whole buffer pool at start; the default is far more than one service's tables need.
    startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'],
    parsers: { [INT8]: (value: string) => BigInt(value), [NUMERIC]: (value: string) => value },
  });
  const statements = new PreparedStatements(db, { protocol, parse });
  // The locks PGlite's own query() takes: outside a transaction also the transaction lock, so a
  // query never runs between the statements of another caller's open transaction.
  const query = (inTransaction: boolean): Queryable['query'] =>
    measured(options.metrics, options.namespace, <R>(text: string, params: readonly unknown[] = []) =>
      inTransaction
        ? db._runExclusiveQuery(() => statements.query<R>(text, params))
        : db._runExclusiveTransaction(() =>
            db._runExclusiveQuery(async () => {
              await nextTurn();
              const rows = await statements.query<R>(text, params);
              await db.syncToFs();
              return rows;
            }),
          ),
    );
  const exec = (runner: { exec(script: string): Promise<unknown> }) => async (script: string) => {
    await runner.exec(script);
  };
  return {
    kind: 'pglite',
    query: query(false),
    exec: exec(db),
    transaction: (fn) => db.transaction((tx) => fn({ query: query(true), exec: exec(tx) })),
    async ping() {
      await db.query('SELECT 1');
    },
    close: () => db.close(),
  };
}

/** Postgres when a URL is given, else an embedded PGlite with the same SQL. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.url ? postgresDatabase({ ...options, url: options.url }) : pgliteDatabase(options);
}

export interface Migration {
  /** Ascending, never reused. */
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/**
 * Applies the migrations not yet recorded in <schema>.schema_migrations, in version order and
 * in one transaction: either all pending migrations apply or none do. An advisory lock keyed on the schema keeps two replicas
 * from migrating at once.
 */
export async function migrate(
  db: Database,
  schema: string,
  migrations: readonly Migration[],
): Promise<number[]> {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`bad schema name ${schema}`);
  const ordered = [...migrations].sort((a, b) => a.version - b.version);
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [schema]);
    await tx.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await tx.query(
      `CREATE TABLE IF NOT EXISTS ${schema}.schema_migrations (
         version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const done = new Set(
      (await tx.query<{ version: number }>(`SELECT version FROM ${schema}.schema_migrations`)).map(
        (r) => r.version,
      ),
    );
    const applied: number[] = [];
    for (const migration of ordered) {
      if (done.has(migration.version)) continue;
      await tx.exec(migration.sql);
      await tx.query(`INSERT INTO ${schema}.schema_migrations (version, name) VALUES ($1, $2)`, [
        migration.version,
        migration.name,
      ]);
      applied.push(migration.version);
    }
    return applied;
  });
}
