import { convert, currencyClient } from './grpc-operations.js';
import { HttpTarget } from './http-client.js';
import type { LoadShape, Measurement, Operation } from './load.js';
import { mergeMeasurements } from './load.js';
import type { Say } from './measure-phase.js';
import { measurePhase, phaseResults, summary } from './measure-phase.js';
import type { Results } from './report.js';
import { homePage } from './shop-operations.js';
import type { Shop, TelemetryMode } from './system.js';

/** How each telemetry mode is named in the results: home_telemetry_on_rps, …_off_rps, …_local_rps. */
export const MODE_KEYS: Record<TelemetryMode, string> = { export: 'on', off: 'off', local: 'local' };

/**
 * Warm-up before every round but the first: a shop idles while the others are measured, V8
 * shrinks its heaps meanwhile, and a tracing shop pays more to grow them back (bench/README.md).
 */
export const REWARM_SECONDS = 5;

export interface TelemetryShapes {
  readonly http: LoadShape;
  readonly grpc: LoadShape;
  readonly rounds: number;
}

/** `items` starting at `by` (modulo their number), wrapping round. */
export function rotated<T>(items: readonly T[], by: number): T[] {
  const at = items.length === 0 ? 0 : by % items.length;
  return [...items.slice(at), ...items.slice(0, at)];
}

/**
 * Home page and Convert on shops that differ only in telemetry, measured in alternating rounds
 * (on, off, local, then off, local, on, …) so that whatever else the machine does weighs on
 * every mode alike. Each mode's rounds are merged: completions over the summed windows.
 */
export async function compareTelemetry(
  shops: readonly { readonly mode: TelemetryMode; readonly shop: Shop }[],
  shapes: TelemetryShapes,
  say: Say,
): Promise<Results> {
  const lanes = shops.map(({ mode, shop }) => ({
    mode,
    shop,
    web: new HttpTarget(shop.url, shapes.http.concurrency),
    currency: currencyClient(shop.addresses.currency ?? ''),
  }));
  type Lane = (typeof lanes)[number];
  const operations: {
    name: string;
    shape: LoadShape;
    operation: (lane: Lane) => (user: number) => Operation;
  }[] = [
    { name: 'home', shape: shapes.http, operation: (lane) => homePage(lane.web) },
    { name: 'convert', shape: shapes.grpc, operation: (lane) => convert(lane.currency) },
  ];
  const results: Results = {};
  try {
    for (const { name, shape, operation } of operations) {
      const measured = new Map<TelemetryMode, { ms: Measurement[]; cpu: Map<string, number> }>();
      for (let round = 0; round < shapes.rounds; round += 1) {
        // Each round starts with another mode, so that none is always measured first.
        for (const lane of rotated(lanes, round)) {
          const roundShape: LoadShape = {
            concurrency: shape.concurrency,
            // The first round warms each shop up until it has settled; later ones warm up again
            // after the idle time (REWARM_SECONDS).
            warmupSeconds: round === 0 ? shape.warmupSeconds : Math.min(REWARM_SECONDS, shape.warmupSeconds),
            maxWarmupSeconds: round === 0 ? shape.maxWarmupSeconds : undefined,
            measureSeconds: shape.measureSeconds / shapes.rounds,
          };
          const key = `${name}_telemetry_${MODE_KEYS[lane.mode]}`;
          const phase = { key, shape: roundShape, operation: operation(lane) };
          const { m, cpu } = await measurePhase(lane.shop, phase, undefined);
          const entry = measured.get(lane.mode) ?? { ms: [], cpu: new Map<string, number>() };
          entry.ms.push(m);
          for (const [service, seconds] of cpu)
            entry.cpu.set(service, (entry.cpu.get(service) ?? 0) + seconds);
          measured.set(lane.mode, entry);
        }
      }
      for (const [mode, { ms, cpu }] of measured) {
        const key = `${name}_telemetry_${MODE_KEYS[mode]}`;
        const merged = mergeMeasurements(key, ms);
        say(`${summary(merged)} (rounds: ${ms.map((m) => m.rps.toFixed(0)).join(', ')} /s)`);
        Object.assign(results, phaseResults(key, merged, cpu, false, say));
      }
    }
  } finally {
    for (const lane of lanes) {
      lane.web.close();
      lane.currency.close();
    }
  }
  return results;
}
