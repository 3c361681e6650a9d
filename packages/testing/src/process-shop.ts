import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServiceName, ServiceSpec } from '@glasshouse/kit';
import { SERVICES } from '@glasshouse/kit';
import { ServiceProcess, freeShopAddresses, withTimeout } from '@glasshouse/kit/testing';

const ROOT = join(__dirname, '..', '..', '..');

export interface ProcessShopOptions {
  /** Where every service exports its spans (an OtlpReceiver's URL); no export when absent. */
  readonly otlpEndpoint?: string;
  /** A PostgreSQL URL for the services with a database; PGlite in a temporary folder otherwise. */
  readonly databaseUrl?: string;
  /** Redis for the cart; the in-memory cart otherwise. */
  readonly redisUrl?: string;
  readonly logLevel?: string;
  /** Extra variables for every service. */
  readonly env?: Readonly<Record<string, string>>;
  readonly readyTimeoutMs?: number;
}

/** The whole shop, each service a process of its own started from its compiled dist/main.js. */
export interface ProcessShop {
  /** The frontend's base URL. */
  readonly url: string;
  /** Where each service is reached: host:port (gRPC, or HTTP for the frontend). */
  readonly addresses: Readonly<Partial<Record<ServiceName, string>>>;
  /** Each service's admin base URL (/metrics, /healthz, /readyz). */
  readonly admin: Readonly<Partial<Record<ServiceName, string>>>;
  /** The processes running now, in start order. */
  processes(): readonly ServiceProcess[];
  process(name: ServiceName): ServiceProcess;
  /** Parsed JSON log lines of a service, over every process it ran as (restarts included). */
  logs(name: ServiceName): Record<string, unknown>[];
  /** Raw output lines of every process started so far, restarts included. */
  allLines(): { name: ServiceName; line: string }[];
  /** Stops a service and starts it again on the same ports, with `env` added; waits until ready. */
  restart(name: ServiceName, env?: Readonly<Record<string, string>>): Promise<void>;
  /** Stops callers before the services they call; returns each exit code. Idempotent. */
  stop(): Promise<Partial<Record<ServiceName, number | null>>>;
}

const STOP_TIMEOUT_MS = 15_000;

/** Starts every implemented service of the table (not loadgen) in parallel and waits for each /readyz. */
export async function startProcessShop(options: ProcessShopOptions = {}): Promise<ProcessShop> {
  const specs: ServiceSpec[] = SERVICES.filter((s) => s.implemented && s.protocol !== 'worker');
  const { addresses, admin, env: listening } = await freeShopAddresses(specs);
  const env: Record<string, string> = {
    OTEL_EXPORTER_OTLP_ENDPOINT: options.otlpEndpoint ?? '',
    OTEL_BSP_SCHEDULE_DELAY: '100',
    LOG_LEVEL: options.logLevel ?? 'info',
    DATABASE_URL: options.databaseUrl ?? '',
    REDIS_URL: options.redisUrl ?? '',
    SMTP_URL: '',
    // No supplier deliveries unless a test asks: they would change stock levels a test counts.
    INVENTORY_RESTOCK_INTERVAL_MS: '0',
    ...listening,
  };
  const dataDir = options.databaseUrl ? undefined : mkdtempSync(join(tmpdir(), 'glasshouse-shop-'));
  if (dataDir) env.PGLITE_DATA_DIR = dataDir;
  Object.assign(env, options.env);

  const readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
  const running = new Map<ServiceName, ServiceProcess>();
  const started: ServiceProcess[] = [];
  const launch = async (spec: ServiceSpec, extra: Readonly<Record<string, string>> = {}) => {
    const script = join(ROOT, 'services', spec.name, 'dist', 'main.js');
    const child = new ServiceProcess(spec.name, script, { ...env, ...extra }).start();
    running.set(spec.name, child);
    started.push(child);
    await child.ready(`${admin[spec.name]}/readyz`, readyTimeoutMs);
  };
  const specOf = (name: ServiceName): ServiceSpec => {
    const spec = specs.find((s) => s.name === name);
    if (!spec) throw new Error(`${name} is not part of the process shop`);
    return spec;
  };
  const processOf = (name: ServiceName): ServiceProcess => {
    const child = running.get(name);
    if (!child) throw new Error(`${name} is not running`);
    return child;
  };

  let stopping: Promise<Partial<Record<ServiceName, number | null>>> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      const codes: Partial<Record<ServiceName, number | null>> = {};
      let left = specs.filter((s) => running.has(s.name));
      while (left.length > 0) {
        // Those nobody still running calls go first: the frontend, then checkout and so on.
        const called = new Set(left.flatMap((s) => s.calls));
        const wave = left.filter((s) => !called.has(s.name));
        const batch = wave.length > 0 ? wave : left;
        await Promise.all(
          batch.map(async (spec) => {
            codes[spec.name] = await withTimeout(
              processOf(spec.name).stop(),
              STOP_TIMEOUT_MS,
              `${spec.name} to stop`,
            );
          }),
        );
        left = left.filter((s) => !batch.includes(s));
      }
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
      return codes;
    })();
    return stopping;
  };

  try {
    await Promise.all(specs.map((spec) => launch(spec)));
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }

  return {
    url: admin.frontend ?? '',
    addresses,
    admin,
    processes: () => specs.flatMap((s) => running.get(s.name) ?? []),
    process: processOf,
    logs: (name) => started.filter((p) => p.name === name).flatMap((p) => p.logs()),
    allLines: () => started.flatMap((p) => p.lines.map((line) => ({ name: p.name as ServiceName, line }))),
    restart: async (name, extra = {}) => {
      const spec = specOf(name);
      await withTimeout(processOf(name).stop(), STOP_TIMEOUT_MS, `${name} to stop`);
      await launch(spec, extra);
    },
    stop,
  };
}
