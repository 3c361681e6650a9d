import { findExecutable } from './observability.js';
import type { ObservabilityContext } from './observability.js';
import { portInUse, takenMessage } from './ports.js';
import type { ScrapedService } from './prometheus-config.js';
import { httpStatus } from './readiness.js';
import { RUNNER } from './stack.js';
import type { ReadyRow } from './table.js';

/**
 * The Prometheus exporters an embedded run starts when their Debian binaries are on PATH, so
 * the infrastructure dashboard has a host, a PostgreSQL and a Redis to show.
 */

export type ExporterName = 'node-exporter' | 'postgres-exporter' | 'redis-exporter';

export interface ExporterSpec {
  readonly name: ExporterName;
  /** Debian's names first, then the upstream ones. */
  readonly binaries: readonly string[];
  /** The exporter's standard port. */
  readonly port: number;
  /** The store it watches: none for the host, else the variable that says where the store is. */
  readonly watches?: 'DATABASE_URL' | 'REDIS_URL';
}

export const EXPORTERS: readonly ExporterSpec[] = Object.freeze([
  { name: 'node-exporter', binaries: ['prometheus-node-exporter', 'node_exporter'], port: 9100 },
  {
    name: 'postgres-exporter',
    binaries: ['prometheus-postgres-exporter', 'postgres_exporter'],
    port: 9187,
    watches: 'DATABASE_URL',
  },
  {
    name: 'redis-exporter',
    binaries: ['prometheus-redis-exporter', 'redis_exporter'],
    port: 9121,
    watches: 'REDIS_URL',
  },
]);

export const EXPORTER_INSTALL_HINT =
  'apt-get install prometheus-node-exporter prometheus-postgres-exporter prometheus-redis-exporter';

/** How to start one exporter: its command line and the variables it reads. */
export interface ExporterLaunch {
  readonly name: ExporterName;
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly scraped: ScrapedService;
}

/** lib/pq (postgres-exporter) insists on TLS unless told otherwise; local PostgreSQL has none. */
export function postgresDataSource(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  if (!url.searchParams.has('sslmode')) url.searchParams.set('sslmode', 'disable');
  return url.toString();
}

/**
 * The launch of `spec` with `binary`, listening on host:port, or undefined when the store it
 * watches is not configured (an embedded run on PGlite or the in-memory cart has none to watch).
 */
export function exporterLaunch(
  spec: ExporterSpec,
  binary: string,
  stores: { readonly databaseUrl?: string; readonly redisUrl?: string },
  host: string,
  port: number,
): ExporterLaunch | undefined {
  const listen = `${host}:${port}`;
  const scraped: ScrapedService = { name: spec.name, adminPort: port, adminHost: host };
  switch (spec.name) {
    case 'node-exporter':
      return { name: spec.name, command: binary, args: [`--web.listen-address=${listen}`], env: {}, scraped };
    case 'postgres-exporter':
      if (!stores.databaseUrl) return undefined;
      return {
        name: spec.name,
        command: binary,
        args: [`--web.listen-address=${listen}`],
        env: { DATA_SOURCE_NAME: postgresDataSource(stores.databaseUrl) },
        scraped,
      };
    case 'redis-exporter':
      if (!stores.redisUrl) return undefined;
      return {
        name: spec.name,
        command: binary,
        args: ['-web.listen-address', listen],
        env: { REDIS_ADDR: stores.redisUrl },
        scraped,
      };
  }
}

export interface ExporterOptions {
  readonly databaseUrl?: string;
  readonly redisUrl?: string;
  /** PATH to look for the binaries on; the process's by default. */
  readonly pathVariable?: string;
  /** Ports other than the standard ones (tests). */
  readonly ports?: Partial<Record<ExporterName, number>>;
}

export interface StartedExporters {
  /** Scrape targets for Prometheus. */
  readonly scraped: ScrapedService[];
  /** Ready-table rows, once each answers on /metrics. */
  readonly ready: Promise<ReadyRow[]>;
}

/**
 * Starts every exporter whose binary is on PATH, whose store is configured and whose port is
 * free. Missing ones are named once, with the packages to install.
 */
export async function startExporters(
  context: ObservabilityContext,
  options: ExporterOptions,
): Promise<StartedExporters> {
  const host = '127.0.0.1';
  const missing: string[] = [];
  const started: ExporterLaunch[] = [];
  for (const spec of EXPORTERS) {
    const binary = findExecutable(spec.binaries, options.pathVariable ?? process.env.PATH);
    if (!binary) {
      missing.push(spec.name);
      continue;
    }
    const port = options.ports?.[spec.name] ?? spec.port;
    const launch = exporterLaunch(spec, binary, options, host, port);
    if (!launch) continue;
    if (await portInUse(host, port)) {
      context.terminal.say(
        RUNNER,
        'warn',
        `${spec.name} not started: ${await takenMessage(`${host}:${port}`, port)}`,
      );
      continue;
    }
    context.stack.launch({
      name: spec.name,
      command: launch.command,
      args: launch.args,
      env: { ...process.env, ...launch.env },
    });
    started.push(launch);
  }
  if (missing.length > 0) {
    context.terminal.say(
      RUNNER,
      'info',
      `${missing.join(', ')} not on PATH, so not started (to get them: ${EXPORTER_INSTALL_HINT})`,
    );
  }
  const ready = Promise.all(
    started.map(async (launch): Promise<ReadyRow[]> => {
      const url = `http://${host}:${launch.scraped.adminPort}/metrics`;
      try {
        await context.stack.waitReady(
          launch.name,
          `GET ${url}`,
          async () => (await httpStatus(url)) === 200,
          {
            timeoutMs: context.readyTimeoutMs,
            signal: context.halt,
          },
        );
        return [
          { name: launch.name, protocol: 'http', address: `${host}:${launch.scraped.adminPort}`, link: url },
        ];
      } catch (error) {
        if (context.halt.aborted) throw error;
        context.terminal.say(RUNNER, 'warn', `${launch.name} is not ready; the shop runs without it`, {
          reason: error instanceof Error ? error.message : String(error),
        });
        return [];
      }
    }),
  ).then((rows) => rows.flat());
  return { scraped: started.map((launch) => launch.scraped), ready };
}
