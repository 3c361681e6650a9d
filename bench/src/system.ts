import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServiceName, ServiceSpec } from '@glasshouse/kit';
import { SERVICES, addressVariable, adminAddressVariable } from '@glasshouse/kit';
import { distinctFreePorts, withTimeout } from '@glasshouse/kit/testing';
import { ServiceChild } from './service-child.js';

export const ROOT = join(__dirname, '..', '..');
const HOST = '127.0.0.1';
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

/**
 * How the services trace. `export`: default sampling, spans sent over OTLP/HTTP. `local`: what
 * `npm start` does without an endpoint (spans made, then dropped). `off`: the sampler records
 * nothing (OTEL_TRACES_SAMPLER=always_off); instrumentations stay installed because the kit has
 * no switch to skip them, and OTEL_SDK_DISABLED=true is set but not honoured by the kit.
 */
export type TelemetryMode = 'export' | 'local' | 'off';

export interface ShopOptions {
  readonly telemetry: TelemetryMode;
  /** Required for `export`: the OTLP/HTTP base URL. */
  readonly otlpEndpoint?: string;
  readonly logLevel?: string;
  /** Extra node flags for one service (a CPU profile of the frontend, say). */
  readonly nodeArgs?: Partial<Record<ServiceName, readonly string[]>>;
}

/** The shop, each service a process of its own started from its compiled dist/main.js. */
export interface Shop {
  readonly url: string;
  readonly addresses: Readonly<Partial<Record<ServiceName, string>>>;
  readonly admin: Readonly<Partial<Record<ServiceName, string>>>;
  /** Operating-system process ids, for /proc readings. */
  readonly pids: ReadonlyMap<ServiceName, number>;
  /** Seconds from the first spawn until every /readyz answered 200. */
  readonly startSeconds: number;
  readonly stop: () => Promise<void>;
}

export function telemetryEnvironment(mode: TelemetryMode, endpoint?: string): Record<string, string> {
  if (mode === 'export') {
    if (!endpoint) throw new Error('telemetry export needs an OTLP endpoint');
    return { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_TRACES_SAMPLER: '', OTEL_SDK_DISABLED: '' };
  }
  const base = { OTEL_EXPORTER_OTLP_ENDPOINT: '', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: '' };
  return mode === 'local'
    ? { ...base, OTEL_TRACES_SAMPLER: '', OTEL_SDK_DISABLED: '' }
    : { ...base, OTEL_TRACES_SAMPLER: 'always_off', OTEL_SDK_DISABLED: 'true' };
}

export const SHOP_SERVICES: readonly ServiceSpec[] = SERVICES.filter(
  (s) => s.implemented && s.protocol !== 'worker',
);

/** Starts every implemented service (not loadgen) on free ports, PGlite in a temporary folder. */
export async function startShop(options: ShopOptions): Promise<Shop> {
  const ports = await distinctFreePorts(SHOP_SERVICES.length * 2);
  const addresses: Partial<Record<ServiceName, string>> = {};
  const admin: Partial<Record<ServiceName, string>> = {};
  const dataDir = mkdtempSync(join(tmpdir(), 'glasshouse-bench-'));
  const env: Record<string, string> = {
    ...telemetryEnvironment(options.telemetry, options.otlpEndpoint),
    LOG_LEVEL: options.logLevel ?? 'warn',
    DATABASE_URL: '',
    REDIS_URL: '',
    SMTP_URL: '',
    PGLITE_DATA_DIR: dataDir,
  };
  SHOP_SERVICES.forEach((spec, i) => {
    const address = `${HOST}:${ports[2 * i]}`;
    const adminAddress = spec.protocol === 'http' ? address : `${HOST}:${ports[2 * i + 1]}`;
    addresses[spec.name] = address;
    admin[spec.name] = `http://${adminAddress}`;
    env[addressVariable(spec.name)] = address;
    env[adminAddressVariable(spec.name)] = adminAddress;
  });

  const running = new Map<ServiceName, ServiceChild>();
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      let left = SHOP_SERVICES.filter((s) => running.has(s.name));
      while (left.length > 0) {
        // Callers first: the frontend, then checkout and recommendation, then the rest.
        const called = new Set(left.flatMap((s) => s.calls));
        const wave = left.filter((s) => !called.has(s.name));
        const batch = wave.length > 0 ? wave : left;
        await Promise.all(
          batch.map((spec) =>
            withTimeout(
              running.get(spec.name)?.stop() ?? Promise.resolve(null),
              STOP_TIMEOUT_MS,
              `${spec.name} to stop`,
            ),
          ),
        );
        left = left.filter((s) => !batch.includes(s));
      }
      rmSync(dataDir, { recursive: true, force: true });
    })();
    return stopping;
  };

  const started = performance.now();
  try {
    await Promise.all(
      SHOP_SERVICES.map(async (spec) => {
        const script = join(ROOT, 'services', spec.name, 'dist', 'main.js');
        const child = new ServiceChild(spec.name, script, env, options.nodeArgs?.[spec.name]);
        running.set(spec.name, child.start());
        await child.ready(`${admin[spec.name]}/readyz`, READY_TIMEOUT_MS);
      }),
    );
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
  const startSeconds = (performance.now() - started) / 1000;

  const pids = new Map<ServiceName, number>([...running].map(([name, child]) => [name, child.pid]));
  return { url: admin.frontend ?? '', addresses, admin, pids, startSeconds, stop };
}
