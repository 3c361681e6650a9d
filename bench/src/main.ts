import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { startCeiling } from './ceilings.js';
import { measureColdStart } from './cold-start.js';
import type { BenchConfig } from './config.js';
import { readBenchConfig } from './config.js';
import { convert, currencyClient } from './grpc-operations.js';
import { HttpTarget } from './http-client.js';
import { runClosedLoop } from './load.js';
import type { ShopShapes } from './measure-shop.js';
import { measureShop, shapesOf } from './measure-shop.js';
import { measureRum } from './rum-bundle.js';
import { compareTelemetry } from './telemetry-compare.js';
import type { Results } from './report.js';
import {
  REQUIRED_KEYS,
  evaluateTargets,
  measurementFields,
  numberAt,
  renderReport,
  round,
} from './report.js';
import type { Shop, TelemetryMode } from './system.js';
import { ROOT, startShop } from './system.js';
import { OtlpReceiver } from '@glasshouse/kit/testing';

/** `npm run bench`: the shop's throughput, latency and footprint, each read against a ceiling. */

const started = performance.now();
const say = (line: string): void => {
  process.stderr.write(
    `[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${line}\n`,
  );
};

/** Stops whatever is running when the bench ends, fails or is interrupted. */
const cleanups = new Set<() => Promise<void>>();
async function cleanUp(): Promise<void> {
  for (const cleanup of [...cleanups].reverse()) await cleanup().catch(() => undefined);
  cleanups.clear();
}

/** The telemetry comparison's shops, in the order they start: each mode early and late alike. */
const COMPARISON_START_ORDER: readonly TelemetryMode[] = ['export', 'off', 'local', 'local', 'off', 'export'];

async function launch(mode: TelemetryMode, endpoint?: string): Promise<Shop> {
  const shop = await startShop({
    telemetry: mode,
    layout: 'threads',
    ...(endpoint ? { otlpEndpoint: endpoint } : {}),
  });
  cleanups.add(shop.stop);
  say(`shop up with telemetry ${mode} in ${shop.startSeconds.toFixed(1)} s`);
  return shop;
}

async function measureCeilings(shapes: ShopShapes): Promise<Results> {
  const http = await startCeiling('http');
  cleanups.add(http.stop);
  const target = new HttpTarget(`http://127.0.0.1:${http.port}`, shapes.http.concurrency);
  const httpCeiling = await runClosedLoop('http_ceiling', shapes.http, () => async () => {
    await target.expect(200, { method: 'GET', path: '/' });
  });
  target.close();
  await http.stop();
  say(`http ceiling ${httpCeiling.rps.toFixed(0)} req/s, p99 ${httpCeiling.p99Ms.toFixed(2)} ms`);

  const grpc = await startCeiling('grpc');
  cleanups.add(grpc.stop);
  const client = currencyClient(`127.0.0.1:${grpc.port}`);
  const grpcCeiling = await runClosedLoop('grpc_ceiling', shapes.grpc, convert(client));
  client.close();
  await grpc.stop();
  say(`grpc ceiling ${grpcCeiling.rps.toFixed(0)} calls/s, p99 ${grpcCeiling.p99Ms.toFixed(2)} ms`);
  return {
    ...measurementFields('http_ceiling', httpCeiling),
    ...measurementFields('grpc_ceiling', grpcCeiling),
  };
}

function machine(config: BenchConfig): Results {
  const cpu = cpus();
  return {
    date: new Date().toISOString(),
    machine_cores: cpu.length,
    machine_cpu_model: cpu[0]?.model.trim() ?? 'unknown',
    machine_node_version: process.version,
    machine_memory_mb: Math.round(totalmem() / 1024 / 1024),
    machine_loadavg_1m_at_start: round(loadavg()[0] ?? Number.NaN, 2),
    bench_concurrency_http: config.httpConcurrency,
    bench_concurrency_grpc: config.grpcConcurrency,
    bench_concurrency_checkout: config.checkoutConcurrency,
    bench_warmup_s: config.warmupSeconds,
    bench_max_warmup_s: config.maxWarmupSeconds,
    bench_measure_s: config.measureSeconds,
    bench_telemetry_rounds: config.telemetryRounds,
    bench_checkout_operation:
      'add item + checkout (POST /cart then POST /cart/checkout, fresh item each time)',
    bench_telemetry_on:
      'default sampling (parent-based always-on), OTLP/HTTP to a discarding sink in the bench',
    bench_telemetry_off: 'OTEL_SDK_DISABLED=true: no tracer, no instrumentation; metrics and logs stay',
    bench_layout: 'npm start as a user runs it: one process, every service a worker thread',
  };
}

async function bench(config: BenchConfig): Promise<Results> {
  const results: Results = machine(config);
  const shapes = shapesOf(config);

  say('cold start: runner with LOADGEN=off, fresh PGlite, no Prometheus');
  const cold = await measureColdStart();
  results.cold_start_s = round(cold.wallSeconds, 2);
  results.cold_start_runner_s = cold.runnerSeconds;
  say(`cold start ${cold.wallSeconds.toFixed(2)} s (runner says ${cold.runnerSeconds} s)`);
  say(`  ready after: ${cold.readyAt.map((r) => `${r.name} ${r.seconds.toFixed(1)} s`).join(', ')}`);

  Object.assign(results, await measureCeilings(shapes));
  Object.assign(results, await measureRum());
  say(
    `browser bundle ${String(results.rum_bundle_kb)} KB (${String(results.rum_bundle_gzip_kb)} KB gzipped)`,
  );

  const sink = new OtlpReceiver({ keep: false });
  const endpoint = await sink.start();
  cleanups.add(() => sink.stop());
  const phasesShop = await launch('export', endpoint);
  Object.assign(results, await measureShop(phasesShop, shapes, say));
  // The shops to compare differ in telemetry alone: each starts fresh (the first one now holds
  // every cart, order and heap of the phases above), one at a time (PGlite's start is
  // CPU-bound), and then all are measured in turns. Two shops a mode, started on, off, local,
  // local, off, on: an earlier-started shop costs more CPU per page, so no mode may have only
  // early or only late shops.
  await phasesShop.stop();
  cleanups.delete(phasesShop.stop);
  const shops: { mode: TelemetryMode; shop: Shop }[] = [];
  for (const mode of COMPARISON_START_ORDER)
    shops.push({ mode, shop: await launch(mode, mode === 'export' ? endpoint : undefined) });
  Object.assign(results, await compareTelemetry(shops, { ...shapes, rounds: config.telemetryRounds }, say));
  await Promise.all(shops.map(({ shop }) => shop.stop()));
  results.otlp_export_requests = sink.requests;
  results.otlp_export_mb = round(sink.bytes / 1024 / 1024, 1);
  await sink.stop();

  const ratio = (on: string, off: string) => round(numberAt(results, on) / numberAt(results, off), 3);
  results.telemetry_on_off_ratio_home = ratio('home_telemetry_on_rps', 'home_telemetry_off_rps');
  results.telemetry_on_off_ratio_convert = ratio('convert_telemetry_on_rps', 'convert_telemetry_off_rps');
  results.telemetry_local_off_ratio_home = ratio('home_telemetry_local_rps', 'home_telemetry_off_rps');
  results.telemetry_local_off_ratio_convert = ratio(
    'convert_rps_telemetry_local',
    'convert_rps_telemetry_off',
  );
  results.targets_met = evaluateTargets(results).filter((t) => t.met).length;
  results.targets_total = evaluateTargets(results).length;
  results.machine_loadavg_1m_at_end = round(loadavg()[0] ?? Number.NaN, 2);
  results.bench_seconds = round((performance.now() - started) / 1000, 1);
  return results;
}

async function main(): Promise<void> {
  const config = readBenchConfig(process.env, join(ROOT, 'bench', 'results'));
  const watchdog = setTimeout(() => {
    say(`still running after ${config.timeoutSeconds} s: stopping everything`);
    void cleanUp().finally(() => process.exit(3));
  }, config.timeoutSeconds * 1000);
  watchdog.unref();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      say(`${signal}: stopping everything`);
      void cleanUp().finally(() => process.exit(130));
    });
  }
  try {
    const results = await bench(config);
    const missing = REQUIRED_KEYS.filter((key) => results[key] === undefined);
    if (missing.length > 0) throw new Error(`results lack ${missing.join(', ')}`);
    mkdirSync(dirname(config.output), { recursive: true });
    writeFileSync(config.output, `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write(`${renderReport(results)}\nresults: ${relative(process.cwd(), config.output)}\n`);
  } finally {
    clearTimeout(watchdog);
    await cleanUp();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
