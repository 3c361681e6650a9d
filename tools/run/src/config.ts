import {
  ConfigError,
  DEFAULT_PGLITE_DATA_DIR,
  SERVICES,
  addressVariable,
  adminAddressVariable,
  envReader,
} from '@glasshouse/kit/core';
import type { Environment, ServiceSpec } from '@glasshouse/kit/core';
import type { Address } from './env.js';
import { LEVEL_NAMES } from './log-pipe.js';
import type { LevelName } from './log-pipe.js';
import { ALERTMANAGER_PORT, PROMETHEUS_PORT } from './observability.js';
import type { ThreadLimits } from './supervisor.js';

/** A service of the table with the addresses it will listen on in this run. */
export interface ServiceTarget {
  readonly spec: ServiceSpec;
  readonly address: Address;
  readonly adminAddress: Address;
}

/**
 * `threads`: every service is a worker thread of the runner's one process, sharing one Node.js
 * runtime (far less memory a service). `processes`: one process per service, as containers run.
 */
export const RUN_MODES = ['threads', 'processes'] as const;
export type RunMode = (typeof RUN_MODES)[number];

/**
 * The runner's configuration, read once from the environment with the kit's typed readers:
 * a blank variable counts as unset, a bad value is a ConfigError naming the variable.
 */
export interface RunConfig {
  readonly logLevel: LevelName;
  readonly mode: RunMode;
  /**
   * Heap limits of each service thread: a young generation large enough that requests in flight
   * are not promoted to the old generation (the trade-off is in bench/README.md), and a heap a
   * thread may not outgrow without being restarted.
   */
  readonly threadLimits: ThreadLimits;
  /** False when LOADGEN=off: the load generator is not started. */
  readonly loadgen: boolean;
  /** A Prometheus duration such as `15s` or `1m30s`. */
  readonly scrapeInterval: string;
  /** An external Postgres; when absent each database-owning service keeps an embedded PGlite. */
  readonly databaseUrl: string | undefined;
  /** The embedded databases' folder (PGLITE_DATA_DIR), when there is no DATABASE_URL. */
  readonly pgliteDataDir: string;
  /** The cart's Redis; when absent carts live in memory. */
  readonly redisUrl: string | undefined;
  /** Where the embedded Prometheus and Alertmanager listen. */
  readonly prometheusAddress: Address;
  readonly alertmanagerAddress: Address;
  /** False when NO_COLOR is set: the terminal gets no colours. */
  readonly color: boolean;
  /** Every service of the table, implemented or not, with its resolved addresses. */
  readonly services: readonly ServiceTarget[];
}

const LOOPBACK = '127.0.0.1';
const PROMETHEUS_DURATION = /^(\d+y)?(\d+w)?(\d+d)?(\d+h)?(\d+m)?(\d+s)?(\d+ms)?$/;

export function readRunConfig(env: Environment, services: readonly ServiceSpec[] = SERVICES): RunConfig {
  const read = envReader(env);
  const scrapeInterval = read.string('SCRAPE_INTERVAL', '15s');
  if (!PROMETHEUS_DURATION.test(scrapeInterval) || !/[1-9]/.test(scrapeInterval)) {
    throw new ConfigError(
      'SCRAPE_INTERVAL',
      `expected a Prometheus duration such as 15s or 1m, got "${scrapeInterval}"`,
    );
  }
  return Object.freeze({
    logLevel: read.oneOf('RUN_LOG_LEVEL', LEVEL_NAMES, 'info'),
    mode: read.oneOf('RUN_MODE', RUN_MODES, 'threads'),
    threadLimits: Object.freeze({
      youngGenerationMb: read.int('RUN_THREAD_YOUNG_MB', 32, { min: 1, max: 256 }),
      heapMb: read.int('RUN_THREAD_HEAP_MB', 1024, { min: 64 }),
    }),
    loadgen: read.bool('LOADGEN', true),
    scrapeInterval,
    // Validated as a URL, passed on exactly as written.
    databaseUrl: read.url('DATABASE_URL') && read.optionalString('DATABASE_URL'),
    pgliteDataDir: read.string('PGLITE_DATA_DIR', DEFAULT_PGLITE_DATA_DIR),
    redisUrl: read.url('REDIS_URL') && read.optionalString('REDIS_URL'),
    prometheusAddress: read.address('PROMETHEUS_ADDR', { host: LOOPBACK, port: PROMETHEUS_PORT }),
    alertmanagerAddress: read.address('ALERTMANAGER_ADDR', { host: LOOPBACK, port: ALERTMANAGER_PORT }),
    color: read.optionalString('NO_COLOR') === undefined,
    services: Object.freeze(
      services.map((spec): ServiceTarget => {
        const address = read.address(addressVariable(spec.name), { host: LOOPBACK, port: spec.port });
        // An HTTP service serves /metrics on its main port, so moving that port moves the admin address too.
        const adminFallback =
          spec.adminPort === spec.port ? address : { host: LOOPBACK, port: spec.adminPort };
        const adminAddress = read.address(adminAddressVariable(spec.name), adminFallback);
        return Object.freeze({ spec, address, adminAddress });
      }),
    ),
  });
}
