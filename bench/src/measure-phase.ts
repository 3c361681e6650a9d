import type { ServiceName } from '@glasshouse/kit';
import { rpcClientTotals, rpcDelta, scrape } from './exposition.js';
import { cpuDelta, total } from './footprint.js';
import type { LoadShape, Measurement, Operation } from './load.js';
import { runClosedLoop } from './load.js';
import type { Results } from './report.js';
import { measurementFields, round } from './report.js';
import type { Shop } from './system.js';

export type Say = (line: string) => void;

export interface Phase {
  readonly key: string;
  readonly shape: LoadShape;
  readonly operation: (user: number) => Operation;
  /** Keep CPU per service in the results (not only in the log). */
  readonly cpuPerService?: boolean;
  /** The service whose outgoing calls are broken down (mean ms per method) over the window. */
  readonly callsOf?: ServiceName;
  readonly onMeasureStart?: () => void;
  readonly onMeasureEnd?: () => void;
}

export interface PhaseOutcome {
  readonly m: Measurement;
  /** CPU seconds per service over the measured window. */
  readonly cpu: Map<string, number>;
  readonly results: Results;
}

export function summary(m: Measurement): string {
  const errors = m.errors > 0 ? `, ${m.errors} errors (first: ${m.firstError ?? '?'})` : '';
  const warm = `after ${m.warmupSeconds.toFixed(0)} s of warm-up`;
  return `${m.name}: ${m.rps.toFixed(1)}/s, p50 ${m.p50Ms.toFixed(2)} ms, p99 ${m.p99Ms.toFixed(2)} ms ${warm}${errors}`;
}

/** Measurement fields plus CPU seconds per 1,000 operations (in total, and per service when asked). */
export function phaseResults(
  key: string,
  m: Measurement,
  cpu: ReadonlyMap<string, number>,
  perService: boolean,
  say: Say,
): Results {
  const perThousand = (seconds: number) => round((seconds / m.count) * 1000, 3);
  const results: Results = {
    ...measurementFields(key, m),
    [`cpu_s_per_1000_${key}`]: perThousand(total(cpu.values())),
  };
  if (perService)
    for (const [name, seconds] of cpu) results[`cpu_s_per_1000_${key}_${name}`] = perThousand(seconds);
  const busiest = [...cpu]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 4)
    .map(([name, seconds]) => `${name} ${((seconds / m.count) * 1000).toFixed(2)}`);
  say(`  CPU ms per ${key}: ${busiest.join(', ')}`);
  return results;
}

/**
 * One closed-loop measurement against the shop, with the services' CPU seconds (from /proc)
 * and, when asked, one service's outgoing calls (from its /metrics) over the measured window.
 */
export async function measurePhase(shop: Shop, phase: Phase, say: Say | undefined): Promise<PhaseOutcome> {
  let cpuBefore = new Map<string, number>();
  let cpuAfter = new Map<string, number>();
  const admin = phase.callsOf ? shop.admin[phase.callsOf] : undefined;
  let callsBefore: Promise<string> | undefined;
  let callsAfter: Promise<string> | undefined;
  const m = await runClosedLoop(phase.key, phase.shape, phase.operation, {
    onMeasureStart: () => {
      cpuBefore = shop.cpu();
      if (admin) callsBefore = scrape(admin);
      phase.onMeasureStart?.();
    },
    onMeasureEnd: () => {
      cpuAfter = shop.cpu();
      if (admin) callsAfter = scrape(admin);
      phase.onMeasureEnd?.();
    },
    cpuSeconds: () => total(shop.cpu().values()),
  });
  const cpu = cpuDelta(cpuBefore, cpuAfter);
  if (!say) return { m, cpu, results: {} };
  say(summary(m));
  const results = phaseResults(phase.key, m, cpu, phase.cpuPerService ?? false, say);
  if (callsBefore && callsAfter) {
    const calls = rpcDelta(rpcClientTotals(await callsBefore), rpcClientTotals(await callsAfter));
    const perOp = calls.map(
      (c) =>
        `${c.method.split('/')[1] ?? c.method} ${(c.calls / m.count).toFixed(1)}× ${c.meanMs.toFixed(1)} ms`,
    );
    say(`  ${phase.callsOf ?? ''} calls per ${phase.key} (mean ms): ${perOp.join(', ')}`);
    for (const c of calls)
      results[`${phase.key}_rpc_ms_${c.method.split('/')[1] ?? c.method}`] = round(c.meanMs, 2);
  }
  return { m, cpu, results };
}
