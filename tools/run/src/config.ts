import { SERVICES, addressVariable, adminAddressVariable } from '@glasshouse/kit';
import type { ServiceSpec } from '@glasshouse/kit';
import { LEVEL_NAMES } from './log-pipe.js';
import type { LevelName } from './log-pipe.js';
import { ConfigError, parseAddress, parsePort, readSwitch, readUrl } from './env.js';
import type { Address, Environment } from './env.js';

/*
 * The runner's configuration, read once from the environment. A blank variable counts as
 * unset; a bad value is a ConfigError naming the variable (main exits 2 with its message).
 */

/** A service of the table with the addresses it will listen on in this run. */
export interface ServiceTarget {
  readonly spec: ServiceSpec;
  readonly address: Address;
  readonly adminAddress: Address;
}

export interface RunConfig {
  readonly logLevel: LevelName;
  /** False when LOADGEN=off: the load generator is not started. */
  readonly loadgen: boolean;
  /** A Prometheus duration such as `15s` or `1m30s`. */
  readonly scrapeInterval: string;
  /** An external Postgres; when absent the runner starts an embedded PGlite. */
  readonly databaseUrl: string | undefined;
  readonly embeddedPgPort: number;
  /** Every service of the table, implemented or not, with its resolved addresses. */
  readonly services: readonly ServiceTarget[];
}

const DEFAULT_HOST = '127.0.0.1';
const PROMETHEUS_DURATION = /^(\d+y)?(\d+w)?(\d+d)?(\d+h)?(\d+m)?(\d+s)?(\d+ms)?$/;

export function readRunConfig(env: Environment, services: readonly ServiceSpec[] = SERVICES): RunConfig {
  const raw = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };

  const logLevelValue = raw('RUN_LOG_LEVEL')?.toLowerCase() ?? 'info';
  const logLevel = LEVEL_NAMES.find((level) => level === logLevelValue);
  if (!logLevel) {
    throw new ConfigError('RUN_LOG_LEVEL', `expected one of ${LEVEL_NAMES.join(', ')}, got "${logLevelValue}"`);
  }

  const scrapeInterval = raw('SCRAPE_INTERVAL') ?? '15s';
  if (!PROMETHEUS_DURATION.test(scrapeInterval) || !/[1-9]/.test(scrapeInterval)) {
    throw new ConfigError('SCRAPE_INTERVAL', `expected a positive Prometheus duration such as 15s or 1m, got "${scrapeInterval}"`);
  }

  const embeddedPgPort = raw('EMBEDDED_PG_PORT');
  return Object.freeze({
    logLevel,
    loadgen: readSwitch('LOADGEN', raw('LOADGEN'), true),
    scrapeInterval,
    databaseUrl: readUrl('DATABASE_URL', raw('DATABASE_URL')),
    embeddedPgPort: embeddedPgPort === undefined ? 55432 : parsePort('EMBEDDED_PG_PORT', embeddedPgPort),
    services: Object.freeze(services.map((spec) => resolveTarget(spec, raw))),
  });
}

function resolveTarget(spec: ServiceSpec, raw: (name: string) => string | undefined): ServiceTarget {
  const addressName = addressVariable(spec.name);
  const adminName = adminAddressVariable(spec.name);
  const addressValue = raw(addressName);
  const adminValue = raw(adminName);
  const address = addressValue ? parseAddress(addressName, addressValue) : { host: DEFAULT_HOST, port: spec.port };
  // An HTTP service serves /metrics on its main port, so moving the port moves the admin address too.
  const adminAddress = adminValue
    ? parseAddress(adminName, adminValue)
    : spec.adminPort === spec.port
      ? address
      : { host: DEFAULT_HOST, port: spec.adminPort };
  return Object.freeze({ spec, address, adminAddress });
}

