import { join } from 'node:path';
import type { Environment } from '@glasshouse/kit';
import { envReader } from '@glasshouse/kit';

/** The bench's settings, read once from the environment. */
export interface BenchConfig {
  /** Each phase warms up at least this long, and then until the shop has settled. */
  readonly warmupSeconds: number;
  /** The longest warm-up of a phase while the shop's CPU per operation is still falling. */
  readonly maxWarmupSeconds: number;
  readonly measureSeconds: number;
  readonly httpConcurrency: number;
  readonly grpcConcurrency: number;
  /**
   * Shoppers checking out at once. Closed loop: mean latency = concurrency ÷ throughput, so the
   * checkout target (≥ 200 orders/s with p99 ≤ 100 ms) is a point at about 10 shoppers (mean
   * ≤ 50 ms); the same run also checks out at `httpConcurrency` to show where the shop saturates.
   */
  readonly checkoutConcurrency: number;
  /** Alternating rounds per telemetry mode when comparing them (the measured time is split). */
  readonly telemetryRounds: number;
  readonly quick: boolean;
  /** Where the results go: bench/results/latest.json, or a .tmp file in quick mode. */
  readonly output: string;
  /** The whole run is abandoned (everything stopped, exit 3) after this long. */
  readonly timeoutSeconds: number;
}

export function readBenchConfig(environment: Environment, resultsDir: string): BenchConfig {
  const env = envReader(environment);
  const quick = env.bool('BENCH_QUICK', false);
  const httpConcurrency = env.int('BENCH_CONCURRENCY', 32, { min: 1, max: 4096 });
  return Object.freeze({
    quick,
    // Twelve isolates take tens of seconds to optimise their hot paths, so a phase warms up until
    // its CPU per operation stops falling (load.ts, Settling), within these bounds.
    warmupSeconds: env.number('BENCH_WARMUP_SECONDS', quick ? 1 : 10, { min: 0, max: 600 }),
    maxWarmupSeconds: env.number('BENCH_MAX_WARMUP_SECONDS', quick ? 1 : 60, { min: 0, max: 600 }),
    measureSeconds: env.number('BENCH_SECONDS', quick ? 1 : 10, { min: 0.1, max: 600 }),
    httpConcurrency,
    grpcConcurrency: env.int('BENCH_GRPC_CONCURRENCY', httpConcurrency * 2, { min: 1, max: 4096 }),
    checkoutConcurrency: env.int('BENCH_CHECKOUT_CONCURRENCY', 10, { min: 1, max: 4096 }),
    telemetryRounds: env.int('BENCH_TELEMETRY_ROUNDS', quick ? 1 : 2, { min: 1, max: 20 }),
    output: env.string('BENCH_OUTPUT', join(resultsDir, quick ? 'quick.tmp' : 'latest.json')),
    timeoutSeconds: env.int('BENCH_TIMEOUT_SECONDS', 1800, { min: 10 }),
  });
}
