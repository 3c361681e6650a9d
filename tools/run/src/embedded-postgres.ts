import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { parsePort } from './env.js';

/**
 * Entry point: PGlite (Postgres in WebAssembly) served over the Postgres wire protocol, so
 * services use `pg` against it exactly as against a real server.
 *
 *   node tools/run/dist/embedded-postgres.js [--supervised]
 *
 * EMBEDDED_PG_PORT (55432; 0 picks a free port), EMBEDDED_PG_HOST (127.0.0.1),
 * EMBEDDED_PG_DATA (var/pgdata, kept across runs), EMBEDDED_PG_MAX_CONNECTIONS (100).
 * Prints one JSON line with the port once it accepts connections.
 *
 * With --supervised (the runner), a terminal's Ctrl-C is ignored, so the database outlives
 * the services draining on it; the runner stops it last with SIGTERM, and a runner that dies
 * without doing so closes this process's stdin, which stops it too.
 */

interface EmbeddedPostgresConfig {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly maxConnections: number;
}

// Read by hand rather than with the kit's readers: this process needs nothing else of the kit.
function readConfig(env: NodeJS.ProcessEnv): EmbeddedPostgresConfig {
  const raw = (name: string): string | undefined => env[name]?.trim() || undefined;
  const maxConnections = Number(raw('EMBEDDED_PG_MAX_CONNECTIONS') ?? '100');
  if (!Number.isInteger(maxConnections) || maxConnections < 1) {
    throw new Error(
      `EMBEDDED_PG_MAX_CONNECTIONS: expected a positive integer, got "${raw('EMBEDDED_PG_MAX_CONNECTIONS')}"`,
    );
  }
  const portValue = raw('EMBEDDED_PG_PORT') ?? '55432';
  const port = parsePort(portValue);
  if (port === undefined)
    throw new Error(`EMBEDDED_PG_PORT: expected a port between 0 and 65535, got "${portValue}"`);
  return {
    host: raw('EMBEDDED_PG_HOST') ?? '127.0.0.1',
    port,
    dataDir: resolve(raw('EMBEDDED_PG_DATA') ?? 'var/pgdata'),
    maxConnections,
  };
}

function log(level: 'info' | 'error', message: string, fields: Record<string, unknown> = {}): void {
  const line = { level, time: new Date().toISOString(), 'service.name': 'postgres', message, ...fields };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

async function main(): Promise<void> {
  const supervised = process.argv.includes('--supervised');
  let config: EmbeddedPostgresConfig;
  try {
    config = readConfig(process.env);
  } catch (error) {
    log('error', error instanceof Error ? error.message : String(error));
    process.exit(2);
  }

  mkdirSync(config.dataDir, { recursive: true });
  const db = await PGlite.create(config.dataDir);
  // maxConnections above 1 turns on pglite-socket's multiplexer: connections share the one
  // PGlite session, queries are queued, and an open transaction holds the queue for its client.
  const server = new PGLiteSocketServer({
    db,
    host: config.host,
    port: config.port,
    maxConnections: config.maxConnections,
  });
  await server.start();
  const port = Number(server.getServerConn().split(':').pop());

  let stopping = false;
  const stop = (reason: string): void => {
    if (stopping) return;
    stopping = true;
    log('info', 'embedded postgres stopping', { reason });
    void (async () => {
      await server.stop();
      await db.close();
      process.exit(0);
    })();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  if (supervised) {
    process.on('SIGINT', () => undefined);
    process.on('SIGHUP', () => undefined);
    process.stdin.on('end', () => stop('runner gone'));
    process.stdin.on('error', () => stop('runner gone'));
    process.stdin.resume();
  } else {
    process.on('SIGINT', () => stop('SIGINT'));
  }

  log('info', 'embedded postgres listening', {
    host: config.host,
    port,
    url: `postgres://postgres@${config.host}:${port}/postgres`,
    data_dir: config.dataDir,
    max_connections: config.maxConnections,
  });
}

main().catch((error: unknown) => {
  const err =
    error instanceof Error
      ? { type: error.name, message: error.message, stack: error.stack }
      : { message: String(error) };
  log('error', 'embedded postgres failed', { err });
  process.exit(1);
});
