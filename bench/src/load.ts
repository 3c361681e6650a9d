import { performance } from 'node:perf_hooks';
import type { LatencySummary } from './percentiles.js';
import { LatencyRecorder, summarize } from './percentiles.js';

/** How long and how wide one closed-loop measurement runs. */
export interface LoadShape {
  /** Virtual users, each with one request in flight at a time. */
  readonly concurrency: number;
  readonly warmupSeconds: number;
  readonly measureSeconds: number;
}

/** One virtual user's operation; it throws when the answer is not the expected one. */
export type Operation = () => Promise<void>;

export interface Measurement extends LatencySummary {
  readonly name: string;
  readonly concurrency: number;
  /** Successful operations per second over the measured window. */
  readonly rps: number;
  readonly errors: number;
  readonly seconds: number;
  readonly firstError?: string;
  /** Every latency sample of the window, ascending (for merging rounds). */
  readonly samples: Float64Array;
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
  hooks: { onMeasureStart?: () => void; onMeasureEnd?: () => void } = {},
): Promise<Measurement> {
  const recorder = new LatencyRecorder();
  let errors = 0;
  let firstError: string | undefined;
  const begin = performance.now();
  const measureStart = begin + shape.warmupSeconds * 1000;
  const measureEnd = measureStart + shape.measureSeconds * 1000;
  // The hooks (CPU readings) run on timers; the window itself is judged by the clock below.
  let hooked: 'none' | 'started' | 'ended' = 'none';
  const startHook = (): void => {
    if (hooked !== 'none') return;
    hooked = 'started';
    hooks.onMeasureStart?.();
  };
  const endHook = (): void => {
    startHook();
    if (hooked !== 'started') return;
    hooked = 'ended';
    hooks.onMeasureEnd?.();
  };
  const startTimer = setTimeout(startHook, measureStart - begin);
  const endTimer = setTimeout(endHook, measureEnd - begin);

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
    clearTimeout(startTimer);
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
    errors,
    seconds: shape.measureSeconds,
    ...(firstError !== undefined ? { firstError } : {}),
    samples,
  };
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
    errors: rounds.reduce((sum, m) => sum + m.errors, 0),
    seconds,
    ...(firstError !== undefined ? { firstError } : {}),
    samples,
  };
}
