import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServiceName } from '@glasshouse/kit';
import { envReader } from '@glasshouse/kit';
import { convert, currencyClient, inventoryClient, stockUp } from './grpc-operations.js';
import { HttpTarget } from './http-client.js';
import type { Operation } from './load.js';
import { rotated } from './telemetry-compare.js';
import { LatencyRecorder } from './percentiles.js';
import type { CheckoutLog } from './shop-operations.js';
import { PRODUCT_ID, addItemAndCheckout, homePage } from './shop-operations.js';
import type { Shop, ShopLayout, ShopOptions, TelemetryMode } from './system.js';
import { startShop } from './system.js';
import { OtlpReceiver } from '@glasshouse/kit/testing';

/**
 * CPU seconds the shop spends per 1000 home pages and per 1000 Convert calls in each telemetry
 * mode: `node --conditions=development --import tsx bench/src/telemetry-cpu.ts [export local off]`.
 * A lane may set variables for its services: `export+OTEL_EXPORTER_OTLP_PROTOCOL=http/json`.
 * A fixed number of operations between two /proc readings of every service is far less noisy
 * on a shared machine than requests per second. Every lane runs on two shops started in mirrored
 * order (a, b, b, a); the shops take turns, round after round; each process's idle CPU (timers,
 * event-loop monitoring), read after a quiet time before and after the rounds, is subtracted.
 *
 * TELEMETRY_CPU_PAGES / _CONVERTS / _ORDERS: operations per round (1000 / 10000 / 0; an order is
 * the bench's "add item + checkout"); TELEMETRY_CPU_ROUNDS (3);
 * TELEMETRY_CPU_WARMUP: operations each lane runs before the first round (four rounds' worth: the
 * shop's CPU per home page fell over the first 4,000 pages and was flat after).
 * TELEMETRY_CPU_PERF=file: `perf record -a` over the rounds; set NODE_OPTIONS=--perf-basic-prof-only-functions
 * in a lane for JavaScript names (`perf report --sort pid,comm,sym`).
 * TELEMETRY_CPU_BASELINE: another built checkout whose shops run beside these, for before/after.
 * TELEMETRY_CPU_PROFILE=frontend,currency: CPU profiles of those services, per mode, into
 * TELEMETRY_CPU_PROFILE_DIR. TELEMETRY_CPU_LAYOUT=threads: the shop as npm start runs it, one
 * thread a service, its GC and compiler threads counted as "runtime" (processes by default).
 */

const CONCURRENCY = 16;
const IDLE_SECONDS = 3;
/**
 * Quiet time before an idle reading: longer than the batch span processor's 5 s delay, so the
 * last warm-up's spans are exported, its garbage collected and its compilations done first.
 */
const QUIET_SECONDS = 6;
const MODES: readonly TelemetryMode[] = ['export', 'local', 'off'];

type StartShop = (options: ShopOptions) => Promise<Shop>;

interface Lane {
  readonly label: string;
  readonly shop: Shop;
  readonly sink: OtlpReceiver;
  readonly operations: Readonly<Record<string, (user: number) => Operation>>;
  /** CPU seconds per second of each process with nothing to do: the lowest reading. */
  readonly idle: Map<string, number>;
  /** Seconds each operation was measured for, to subtract the idle rate over. */
  readonly seconds: Map<string, number>;
  readonly close: () => void;
  readonly cpu: Map<string, Map<string, number>>;
}

/** Runs `total` operations, `CONCURRENCY` at a time. */
async function drive(total: number, operation: (user: number) => Operation): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, user) => {
      const run = operation(user);
      while (next < total) {
        next += 1;
        await run();
      }
    }),
  );
}

function readCpu(shop: Shop): Map<string, number> {
  return shop.cpu();
}

function profiling(label: string, services: string[], dir: string): Partial<Record<ServiceName, string[]>> {
  const folder = join(dir, label.replace(/\W+/g, '-'));
  return Object.fromEntries(
    services.map((name) => [name, ['--cpu-prof', `--cpu-prof-dir=${join(folder, name)}`]]),
  );
}

/** `export`, or `export+NAME=value+…`: a mode, and variables only this lane's services get. */
function parseLane(spec: string): { mode: TelemetryMode; env: Record<string, string> } {
  const [mode = '', ...assignments] = spec.split('+');
  if (!MODES.includes(mode as TelemetryMode)) throw new Error(`unknown mode ${mode} in ${spec}`);
  const env = Object.fromEntries(
    assignments.map((a) => {
      const at = a.indexOf('=');
      if (at < 1) throw new Error(`expected NAME=value, got ${a} in ${spec}`);
      return [a.slice(0, at), a.slice(at + 1)];
    }),
  );
  return { mode: mode as TelemetryMode, env };
}

async function startLane(
  label: string,
  start: StartShop,
  spec: string,
  profile: Partial<Record<ServiceName, string[]>>,
  layout: ShopLayout,
): Promise<Lane> {
  const { mode, env } = parseLane(spec);
  const sink = new OtlpReceiver({ keep: false });
  const endpoint = await sink.start();
  const shop = await start({
    telemetry: mode,
    otlpEndpoint: endpoint,
    nodeArgs: profile,
    layout,
    environment: env,
  });
  const web = new HttpTarget(shop.url, CONCURRENCY);
  const currency = currencyClient(shop.addresses.currency ?? '');
  const inventory = inventoryClient(shop.addresses.inventory ?? '');
  await stockUp(inventory, PRODUCT_ID);
  inventory.close();
  const orders: CheckoutLog = { placed: [], checkoutOnly: new LatencyRecorder(), measuring: false };
  return {
    label,
    shop,
    sink,
    operations: {
      home: homePage(web),
      convert: convert(currency),
      checkout: addItemAndCheckout(web, orders),
    },
    idle: new Map(),
    seconds: new Map(),
    cpu: new Map(),
    close: () => {
      web.close();
      currency.close();
    },
  };
}

/**
 * CPU seconds per second each process uses with nothing to do, after a quiet time; each call
 * keeps the lower of its reading and the previous one. A reading taken while the last lane to
 * warm up was still finishing (exporting, collecting) once took 0.3 ms off its CPU per page.
 */
async function idleRates(lanes: Lane[]): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, QUIET_SECONDS * 1000));
  const before = lanes.map((lane) => readCpu(lane.shop));
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, IDLE_SECONDS * 1000));
  const seconds = (performance.now() - started) / 1000;
  lanes.forEach((lane, i) => {
    for (const [name, cpu] of readCpu(lane.shop)) {
      const rate = (cpu - (before[i]?.get(name) ?? cpu)) / seconds;
      lane.idle.set(name, Math.min(rate, lane.idle.get(name) ?? rate));
    }
  });
}

async function measure(lane: Lane, operation: string, total: number): Promise<void> {
  const run = lane.operations[operation];
  if (!run) throw new Error(`no operation ${operation}`);
  const before = readCpu(lane.shop);
  const started = performance.now();
  await drive(total, run);
  const seconds = (performance.now() - started) / 1000;
  const used = lane.cpu.get(operation) ?? new Map<string, number>();
  for (const [name, cpu] of readCpu(lane.shop)) {
    used.set(name, (used.get(name) ?? 0) + cpu - (before.get(name) ?? cpu));
  }
  lane.cpu.set(operation, used);
  lane.seconds.set(operation, (lane.seconds.get(operation) ?? 0) + seconds);
}

/** CPU seconds per 1000 operations of the shops of one lane (`total` operations each). */
function report(twins: Lane[], operation: string, total: number): string {
  const busy = new Map<string, number>();
  for (const lane of twins) {
    const measured = lane.seconds.get(operation) ?? 0;
    for (const [name, cpu] of lane.cpu.get(operation) ?? [])
      busy.set(name, (busy.get(name) ?? 0) + cpu - (lane.idle.get(name) ?? 0) * measured);
  }
  const perThousand = [...busy]
    .map(([name, cpu]) => [name, (cpu * 1000) / (total * twins.length)] as const)
    .filter(([, s]) => s >= 0.002)
    .sort((a, b) => b[1] - a[1]);
  const sum = perThousand.reduce((a, [, s]) => a + s, 0);
  const parts = perThousand.map(([name, s]) => `${name} ${s.toFixed(3)}`).join(', ');
  return `${operation.padEnd(8)} ${twins[0]?.label.padEnd(12)} ${sum.toFixed(3)} s/1000  ${parts}\n`;
}

/**
 * `perf record` of the whole machine (on-CPU samples, JIT symbols from the services'
 * --perf-basic-prof maps) over the measured rounds only; resolves to a function that stops it.
 */
async function perfRecord(file: string | undefined): Promise<(() => Promise<void>) | undefined> {
  if (!file) return undefined;
  const perf = spawn('perf', ['record', '-a', '-F', '999', '-o', file], { stdio: 'ignore' });
  await new Promise((resolve) => setTimeout(resolve, 1000));
  return () =>
    new Promise((resolve) => {
      perf.once('exit', () => resolve());
      perf.kill('SIGINT');
    });
}

async function main(): Promise<void> {
  const env = envReader(process.env);
  const specs = process.argv.length > 2 ? process.argv.slice(2) : MODES;
  for (const spec of specs) parseLane(spec);
  const counts: Record<string, number> = {
    home: env.int('TELEMETRY_CPU_PAGES', 1000, { min: 0 }),
    convert: env.int('TELEMETRY_CPU_CONVERTS', 10000, { min: 0 }),
    checkout: env.int('TELEMETRY_CPU_ORDERS', 0, { min: 0 }),
  };
  for (const [operation, total] of Object.entries(counts)) if (total === 0) delete counts[operation];
  const rounds = env.int('TELEMETRY_CPU_ROUNDS', 3, { min: 1 });
  const profiled = env.string('TELEMETRY_CPU_PROFILE', '').split(',').filter(Boolean);
  const profileDir = env.string('TELEMETRY_CPU_PROFILE_DIR', join(tmpdir(), 'glasshouse-telemetry-cpu'));
  const baseline = env.optionalString('TELEMETRY_CPU_BASELINE');
  const layout = env.oneOf('TELEMETRY_CPU_LAYOUT', ['processes', 'threads'] as const, 'processes');
  if (layout === 'threads' && profiled.length > 0)
    throw new Error('CPU profiles need TELEMETRY_CPU_LAYOUT=processes');
  const starts: [string, StartShop][] = [['', startShop]];
  if (baseline) {
    const other = (await import(join(baseline, 'bench', 'src', 'system.ts'))) as { startShop: StartShop };
    starts.push(['base ', other.startShop]);
  }
  const lanes: Lane[] = [];
  try {
    // Identical shops cost more CPU per operation the earlier they started (bench/README.md), so
    // every lane (and a baseline's beside it) gets two shops, started in mirrored order: a, b, b, a.
    const shops = specs.flatMap((spec) => starts.map(([prefix, start]) => ({ spec, prefix, start })));
    for (const { spec, prefix, start } of [...shops, ...[...shops].reverse()]) {
      const label = `${prefix}${spec}`;
      lanes.push(await startLane(label, start, spec, profiling(label, profiled, profileDir), layout));
    }
    for (const lane of lanes) {
      for (const [operation, total] of Object.entries(counts)) {
        const warmup = env.int('TELEMETRY_CPU_WARMUP', total * 4, { min: 0 });
        await drive(warmup, lane.operations[operation] ?? (() => async () => {}));
      }
    }
    await idleRates(lanes);
    const perf = await perfRecord(env.optionalString('TELEMETRY_CPU_PERF'));
    for (let round = 0; round < rounds; round += 1) {
      for (const [operation, total] of Object.entries(counts)) {
        // Each round starts with another lane: whichever comes first after the others is slower.
        for (const lane of rotated(lanes, round)) await measure(lane, operation, total);
      }
    }
    await perf?.();
    await idleRates(lanes);
    for (const lane of lanes)
      process.stdout.write(`pid ${lane.label}: ${[...lane.shop.pids.values()].join(' ')}\n`);
    const byLabel = new Map<string, Lane[]>();
    for (const lane of lanes) byLabel.set(lane.label, [...(byLabel.get(lane.label) ?? []), lane]);
    for (const [operation, total] of Object.entries(counts)) {
      for (const twins of byLabel.values()) process.stdout.write(report(twins, operation, total * rounds));
    }
    for (const [label, twins] of byLabel) {
      const idle = twins.map((lane) => [...lane.idle.values()].reduce((a, b) => a + b, 0));
      const rates = idle.map((rate) => `${(rate * 100).toFixed(1)} %`).join(', ');
      process.stdout.write(`idle ${label}: ${rates} of a core\n`);
    }
    for (const lane of lanes) {
      if (lane.sink.requests === 0) continue;
      const kb = lane.sink.bytes / 1024;
      process.stdout.write(
        `otlp ${lane.label}: ${lane.sink.requests} requests, ${(kb / 1024).toFixed(1)} MB, ` +
          `${(kb / lane.sink.requests).toFixed(0)} KB each\n`,
      );
    }
  } finally {
    for (const lane of lanes) {
      lane.close();
      await lane.shop.stop();
      await lane.sink.stop();
    }
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
