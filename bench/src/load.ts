import { performance } from 'node:perf_hooks';
import type { LatencySummary } from './percentiles.js';
import { LatencyRecorder, summarize } from './percentiles.js';

/** How long and how wide one closed-loop measurement runs. */
export interface LoadShape {
  /** Virtual users, each with one request in flight at a time. */
  readonly concurrency: number;
  /** The shortest warm-up; with a CPU probe it goes on until the shop has settled (see `Settling`). */
  readonly warmupSeconds: number;
  readonly measureSeconds: number;
  /** The longest warm-up when it waits for the shop to settle (the minimum when absent). */
  readonly maxWarmupSeconds?: number;
  /** Seconds of warm-up in each window `Settling` judges (SETTLE_WINDOW_SECONDS). */
  readonly settleWindowSeconds?: number;
}

export const SETTLE_WINDOW_SECONDS = 2.5;

/**
 * Judges warm-up windows by CPU per operation: the shop has settled once the last four windows
 * together cost at least 97 % of the four before them, i.e. the JIT has stopped making it
 * cheaper, a slope single windows on a shared machine do not show (bench/README.md).
 */
export class Settling {
  static readonly SPAN = 4;
  private readonly windows: number[] = [];

  /** Takes one window's CPU seconds per operation; true once the shop has settled. */
  window(cpuPerOperation: number): boolean {
    if (!Number.isFinite(cpuPerOperation)) return false;
    this.windows.push(cpuPerOperation);
    const span = Settling.SPAN;
    if (this.windows.length < 2 * span) return false;
    const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
    const last = mean(this.windows.slice(-span));
    const before = mean(this.windows.slice(-2 * span, -span));
    return last >= before * 0.97;
  }
}

/** One virtual user's operation; it throws when the answer is not the expected one. */
export type Operation = () => Promise<void>;

export interface Measurement extends LatencySummary {
  readonly name: string;
  readonly concurrency: number;
  /** Successful operations per second over the measured window. */
  readonly rps: number;
  /** How long the warm-up ran. */
  readonly warmupSeconds: number;
  readonly errors: number;
  readonly seconds: number;
  readonly firstError?: string;
  /** Every latency sample of the window, ascending (for merging rounds). */
  readonly samples: Float64Array;
}

export interface LoadHooks {
  onMeasureStart?: () => void;
  onMeasureEnd?: () => void;
  /** CPU seconds the system under load has used so far: the warm-up waits for it to settle. */
  cpuSeconds?: () => number;
}

/**
 * A closed-loop load: `concurrency` users each run their operation back to back, with no
 * think time, for the warm-up and then the measured window. Only operations that finish
 * inside the window count, so throughput is completions per second of steady state.
 */
export async function runClosedLoop(
  name: string,
  shape: LoadShape,
  userOperation: (user: number) => Operation,
  hooks: LoadHooks = {},
): Promise<Measurement> {
  const recorder = new LatencyRecorder();
  let errors = 0;
  let firstError: string | undefined;
  let finished = 0;
  const begin = performance.now();
  // Known once the warm-up is over; the window itself is judged by the clock below.
  let measureStart = Number.POSITIVE_INFINITY;
  let measureEnd = Number.POSITIVE_INFINITY;
  let hooked: 'none' | 'started' | 'ended' = 'none';
  let endTimer: NodeJS.Timeout | undefined;
  const endHook = (): void => {
    if (hooked !== 'started') return;
    hooked = 'ended';
    hooks.onMeasureEnd?.();
  };
  const startMeasuring = (): void => {
    if (hooked !== 'none') return;
    hooked = 'started';
    hooks.onMeasureStart?.();
    measureStart = performance.now();
    measureEnd = measureStart + shape.measureSeconds * 1000;
    endTimer = setTimeout(endHook, shape.measureSeconds * 1000);
  };
  const warmup = warmUp(shape, hooks.cpuSeconds, () => finished, startMeasuring);

  const user = async (index: number): Promise<void> => {
    const operation = userOperation(index);
    for (;;) {
      const started = performance.now();
      if (started >= measureEnd) return;
      let failure: unknown;
      try {
        await operation();
      } catch (error) {
        failure = error;
      }
      const ended = performance.now();
      finished += 1;
      if (ended < measureStart || ended > measureEnd) continue;
      if (failure === undefined) {
        recorder.record(ended - started);
      } else {
        errors += 1;
        firstError ??= failure instanceof Error ? failure.message : 'a non-Error was thrown';
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: shape.concurrency }, (_, i) => user(i)));
  } finally {
    warmup.stop();
    clearTimeout(endTimer);
    // Every user may have stopped before the end timer came round: the hooks still run once each.
    endHook();
  }
  const samples = recorder.sorted();
  const summary = summarize(samples);
  return {
    name,
    concurrency: shape.concurrency,
    ...summary,
    rps: summary.count / shape.measureSeconds,
    warmupSeconds: (measureStart - begin) / 1000,
    errors,
    seconds: shape.measureSeconds,
    ...(firstError !== undefined ? { firstError } : {}),
    samples,
  };
}

/**
 * Calls `done` after the shape's warm-up: the minimum, then, with a CPU probe, window by window
 * until `Settling` says so or the maximum is reached.
 */
function warmUp(
  shape: LoadShape,
  cpuSeconds: (() => number) | undefined,
  finished: () => number,
  done: () => void,
): { stop: () => void } {
  const maxSeconds = Math.max(shape.warmupSeconds, shape.maxWarmupSeconds ?? 0);
  if (!cpuSeconds || maxSeconds <= shape.warmupSeconds) {
    const timer = setTimeout(done, shape.warmupSeconds * 1000);
    return { stop: () => clearTimeout(timer) };
  }
  const begin = performance.now();
  const windowSeconds = shape.settleWindowSeconds ?? SETTLE_WINDOW_SECONDS;
  const settling = new Settling();
  let last = { cpu: cpuSeconds(), operations: finished() };
  const timer = setInterval(() => {
    const now = { cpu: cpuSeconds(), operations: finished() };
    const operations = now.operations - last.operations;
    const settled = settling.window(operations > 0 ? (now.cpu - last.cpu) / operations : Number.NaN);
    last = now;
    const seconds = (performance.now() - begin) / 1000;
    if ((settled && seconds >= shape.warmupSeconds) || seconds + windowSeconds > maxSeconds) {
      clearInterval(timer);
      done();
    }
  }, windowSeconds * 1000);
  return { stop: () => clearInterval(timer) };
}

/** Several rounds of the same load as one measurement: completions over the summed windows. */
export function mergeMeasurements(name: string, rounds: readonly Measurement[]): Measurement {
  const size = rounds.reduce((sum, m) => sum + m.samples.length, 0);
  const samples = new Float64Array(size);
  let at = 0;
  for (const m of rounds) {
    samples.set(m.samples, at);
    at += m.samples.length;
  }
  samples.sort();
  const seconds = rounds.reduce((sum, m) => sum + m.seconds, 0);
  const firstError = rounds.find((m) => m.firstError !== undefined)?.firstError;
  return {
    name,
    concurrency: rounds[0]?.concurrency ?? 0,
    ...summarize(samples),
    rps: seconds > 0 ? size / seconds : Number.NaN,
    warmupSeconds: rounds.reduce((sum, m) => sum + m.warmupSeconds, 0),
    errors: rounds.reduce((sum, m) => sum + m.errors, 0),
    seconds,
    ...(firstError !== undefined ? { firstError } : {}),
    samples,
  };
}
