import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServiceName, ServiceSpec } from '@glasshouse/kit';
import { SERVICES } from '@glasshouse/kit';
import { ServiceProcess, freeShopAddresses, pathWithout, withTimeout } from '@glasshouse/kit/testing';
import { cpuSeconds, namedThreads, threadCpuSeconds } from './procfs.js';

/** Lines of each process's output kept for a failure's message: a long load run keeps a tail only. */
const OUTPUT_LINES_KEPT = 50;

export const ROOT = join(__dirname, '..', '..');
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

/**
 * How the services trace. `export`: default sampling, spans sent over OTLP/HTTP. `local`: what
 * `npm start` does without an endpoint (spans made, then dropped). `off`: OTEL_SDK_DISABLED=true,
 * no tracer and no instrumentation at all.
 */
export type TelemetryMode = 'export' | 'local' | 'off';

/**
 * `threads`: the runner of `npm start` (tools/run) with every service a thread of its one
 * process, as a user runs it. `processes`: each service a process of its own (for per-service
 * node flags such as a CPU profile).
 */
export type ShopLayout = 'threads' | 'processes';

export interface ShopOptions {
  readonly telemetry: TelemetryMode;
  /** `processes` unless told. */
  readonly layout?: ShopLayout;
  /** Required for `export`: the OTLP/HTTP base URL. */
  readonly otlpEndpoint?: string;
  readonly logLevel?: string;
  /** Extra node flags for one service (a CPU profile of the frontend, say). */
  readonly nodeArgs?: Partial<Record<ServiceName, readonly string[]>>;
  /** Variables every service gets on top of the mode's (OTEL_TRACES_SAMPLER=always_off, say). */
  readonly environment?: Readonly<Record<string, string>>;
}

/** The shop, started from the compiled dist/ of every service. */
export interface Shop {
  readonly layout: ShopLayout;
  readonly url: string;
  readonly addresses: Readonly<Partial<Record<ServiceName, string>>>;
  readonly admin: Readonly<Partial<Record<ServiceName, string>>>;
  /** Operating-system processes, for memory: one per service, or the runner alone. */
  readonly pids: ReadonlyMap<string, number>;
  /**
   * CPU seconds used so far by each part: a service's process, or a service's thread plus
   * `runtime` (the runner's own thread, garbage collection and compiler helpers, I/O threads).
   */
  readonly cpu: () => Map<string, number>;
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

interface Prepared {
  readonly addresses: Partial<Record<ServiceName, string>>;
  readonly admin: Partial<Record<ServiceName, string>>;
  readonly env: Record<string, string>;
  readonly dataDir: string;
}

/** Free ports for every service, the telemetry mode's variables, PGlite in a temporary folder. */
async function prepare(options: ShopOptions): Promise<Prepared> {
  const { addresses, admin, env: listening } = await freeShopAddresses(SHOP_SERVICES);
  const dataDir = mkdtempSync(join(tmpdir(), 'glasshouse-bench-'));
  const env: Record<string, string> = {
    ...telemetryEnvironment(options.telemetry, options.otlpEndpoint),
    LOG_LEVEL: options.logLevel ?? 'warn',
    DATABASE_URL: '',
    REDIS_URL: '',
    SMTP_URL: '',
    PGLITE_DATA_DIR: dataDir,
    // The benchmark's checkouts all come from 127.0.0.1: a per-address limit would measure itself.
    CHECKOUT_RATE_LIMIT: '0',
    SIGNIN_RATE_LIMIT: '0',
    ...listening,
    ...options.environment,
  };
  return { addresses, admin, env, dataDir };
}

/** Starts every implemented service (not loadgen) on free ports, PGlite in a temporary folder. */
export async function startShop(options: ShopOptions): Promise<Shop> {
  const prepared = await prepare(options);
  return options.layout === 'threads' ? startThreads(prepared) : startProcesses(prepared, options);
}

/** The runner, as `npm start` runs it, without the load generator and Prometheus. */
async function startThreads({ addresses, admin, env, dataDir }: Prepared): Promise<Shop> {
  const started = performance.now();
  const runner = new ServiceProcess(
    'runner',
    join(ROOT, 'tools', 'run', 'dist', 'main.js'),
    {
      ...env,
      RUN_MODE: 'threads',
      RUN_LOG_LEVEL: 'warn',
      LOADGEN: 'off',
      NO_COLOR: '1',
      PATH: pathWithout(),
    },
    { keepLines: OUTPUT_LINES_KEPT },
  ).start();
  const stop = async (): Promise<void> => {
    await withTimeout(runner.stop(), STOP_TIMEOUT_MS * 2, 'the runner to stop');
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    for (const spec of SHOP_SERVICES) await runner.ready(`${admin[spec.name]}/readyz`, READY_TIMEOUT_MS);
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
  const startSeconds = (performance.now() - started) / 1000;
  const pid = runner.pid;
  const threads = namedThreads(pid);
  const missing = SHOP_SERVICES.filter((spec) => !threads.has(spec.name.slice(0, 15)));
  if (missing.length > 0) throw new Error(`no thread named ${missing.map((s) => s.name).join(', ')}`);
  const cpu = (): Map<string, number> => {
    const seconds = new Map<string, number>();
    for (const spec of SHOP_SERVICES) {
      const tid = threads.get(spec.name.slice(0, 15)) ?? 0;
      seconds.set(spec.name, threadCpuSeconds(pid, tid) ?? Number.NaN);
    }
    let services = 0;
    for (const value of seconds.values()) services += value;
    seconds.set('runtime', (cpuSeconds(pid) ?? Number.NaN) - services);
    return seconds;
  };
  return {
    layout: 'threads',
    url: admin.frontend ?? '',
    addresses,
    admin,
    pids: new Map([['glasshouse', pid]]),
    cpu,
    startSeconds,
    stop,
  };
}

async function startProcesses(
  { addresses, admin, env, dataDir }: Prepared,
  options: ShopOptions,
): Promise<Shop> {
  const running = new Map<ServiceName, ServiceProcess>();
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
        const child = new ServiceProcess(spec.name, script, env, {
          nodeArgs: options.nodeArgs?.[spec.name] ?? [],
          keepLines: OUTPUT_LINES_KEPT,
        });
        running.set(spec.name, child.start());
        await child.ready(`${admin[spec.name]}/readyz`, READY_TIMEOUT_MS);
      }),
    );
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
  const startSeconds = (performance.now() - started) / 1000;

  const pids = new Map<string, number>([...running].map(([name, child]) => [name, child.pid]));
  const cpu = (): Map<string, number> =>
    new Map([...pids].map(([name, pid]) => [name, cpuSeconds(pid) ?? Number.NaN]));
  return { layout: 'processes', url: admin.frontend ?? '', addresses, admin, pids, cpu, startSeconds, stop };
}
