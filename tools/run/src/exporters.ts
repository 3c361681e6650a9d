import type { ScrapedService } from './prometheus-config.js';

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
