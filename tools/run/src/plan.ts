import { join, resolve } from 'node:path';
import {
  DEFAULT_PGLITE_DATA_DIR,
  LOCAL_FLAGS_FILE,
  addressVariable,
  adminAddressVariable,
  startOrder,
} from '@glasshouse/kit/core';
import type { Environment, ServiceName } from '@glasshouse/kit/core';
import type { RunConfig, ServiceTarget } from './config.js';
import { connectAddress, formatAddress } from './env.js';

/** How one service is started and when it counts as ready. */
export interface ServiceLaunch {
  readonly name: ServiceName;
  readonly target: ServiceTarget;
  /** The entry point, relative to the repository root. */
  readonly script: string;
  readonly env: Readonly<Record<string, string>>;
  readonly readyUrl: string;
  readonly metricsUrl: string;
  /** Started services this one calls: it starts once they are ready, and stops before them. */
  readonly dependsOn: readonly ServiceName[];
}

/** The services to start, in start order: implemented ones, less loadgen when LOADGEN=off. */
export function launchPlan(
  config: RunConfig,
  base: Environment,
  databaseUrl: string | undefined,
): ServiceLaunch[] {
  const selected = config.services.filter(
    (target) => target.spec.implemented && (config.loadgen || target.spec.name !== 'loadgen'),
  );
  const byName = new Map(selected.map((target) => [target.spec.name, target]));
  const shared = sharedEnvironment(config, base, databaseUrl);
  return startOrder(selected.map((target) => target.spec)).map((spec) => {
    const target = byName.get(spec.name);
    if (!target) throw new Error(`startOrder returned ${spec.name}, which was not asked for`);
    const admin = formatAddress(connectAddress(target.adminAddress));
    return {
      name: spec.name,
      target,
      script: join('services', spec.name, 'dist', 'main.js'),
      env: { ...shared, OTEL_SERVICE_NAME: spec.name },
      readyUrl: `http://${admin}/readyz`,
      metricsUrl: `http://${admin}/metrics`,
      dependsOn: spec.calls.filter((name) => byName.has(name)),
    };
  });
}

/**
 * What every service gets: the runner's own environment, where every service of the table
 * listens (a value the user set wins), and the database when there is one.
 */
export function sharedEnvironment(
  config: RunConfig,
  base: Environment,
  databaseUrl: string | undefined,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(base)) if (value !== undefined) env[key] = value;
  for (const target of config.services) {
    const addressName = addressVariable(target.spec.name);
    const adminName = adminAddressVariable(target.spec.name);
    if (!base[addressName]?.trim()) env[addressName] = formatAddress(target.address);
    if (!base[adminName]?.trim()) env[adminName] = formatAddress(target.adminAddress);
  }
  // The flags the fault command edits (issue 19), unless the user points elsewhere or at flagd.
  if (!base.FLAGS_FILE?.trim() && !base.FLAGD_HOST?.trim()) env.FLAGS_FILE = LOCAL_FLAGS_FILE;
  if (databaseUrl !== undefined) env.DATABASE_URL = databaseUrl;
  // Without a server, each service opens its own PGlite under this folder (relative to the repo).
  else if (!base.PGLITE_DATA_DIR?.trim()) env.PGLITE_DATA_DIR = DEFAULT_PGLITE_DATA_DIR;
  return env;
}

/**
 * The embedded databases of a run without a database server: the PGlite folder (relative to
 * `root` unless absolute) and the services with a Postgres store, each of which opens
 * `<folder>/<service>`. Undefined when the services use a server.
 */
export function embeddedDatabases(
  plan: readonly ServiceLaunch[],
  root: string,
): { parent: string; folders: ServiceName[] } | undefined {
  const stores = plan.filter((launch) => launch.target.spec.store === 'postgres');
  const folder = stores[0]?.env.PGLITE_DATA_DIR;
  if (!folder || stores.some((launch) => launch.env.DATABASE_URL?.trim())) return undefined;
  return { parent: resolve(root, folder), folders: stores.map((launch) => launch.name) };
}
