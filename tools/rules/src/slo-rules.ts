import type { AlertCases, AlertRule, RecordingRule, RuleFile, Severity } from './model.js';
import type { Slo } from './slos.js';
import { SLO_WINDOWS } from './slos.js';

/**
 * Recording rules and multi-window, multi-burn-rate alerts of one SLO (the SRE workbook's
 * scheme): page when 1 h and 5 m both burn at 14.4× or 6 h and 30 m at 6×; ticket when 1 d
 * and 2 h burn at 3× or 3 d and 6 h at 1×. The short window lets the alert resolve soon after
 * the burning stops.
 */

export interface BurnWindows {
  readonly long: string;
  readonly short: string;
  readonly factor: number;
}

export const BURN_ALERTS: readonly {
  readonly severity: Severity;
  readonly for: string;
  readonly windows: readonly BurnWindows[];
}[] = [
  {
    severity: 'page',
    for: '2m',
    windows: [
      { long: '1h', short: '5m', factor: 14.4 },
      { long: '6h', short: '30m', factor: 6 },
    ],
  },
  {
    severity: 'ticket',
    for: '15m',
    windows: [
      { long: '1d', short: '2h', factor: 3 },
      { long: '3d', short: '6h', factor: 1 },
    ],
  },
];

/** The error budget as a ratio, written without binary noise (1 − 0.999 = 0.001). */
export function budgetOf(slo: Slo): number {
  return Number((1 - slo.objective).toPrecision(6));
}

export function errorRatioRecord(window: string): string {
  return `slo:sli_error:ratio_rate${window}`;
}

export function sloRuleFile(slo: Slo): RuleFile {
  const labels = { slo: slo.name, service: slo.service };
  const selector = `{slo="${slo.name}"}`;
  const budget = budgetOf(slo);
  const recording: RecordingRule[] = [
    ...SLO_WINDOWS.map((window) => ({
      record: errorRatioRecord(window),
      // No bad event at all is a ratio of 0, not an empty result.
      expr: `(${slo.bad(window)} or vector(0)) / ${slo.total(window)}`,
      labels,
    })),
    { record: 'slo:objective:ratio', expr: `vector(${slo.objective})`, labels },
    {
      record: 'slo:error_budget_remaining:ratio',
      expr: `1 - ${errorRatioRecord('30d')}${selector} / on(slo, service) (1 - slo:objective:ratio${selector})`,
      labels,
    },
  ];
  const alerts: AlertRule[] = BURN_ALERTS.map((burn) => ({
    alert: slo.alert,
    expr: burn.windows
      .map(
        (w) =>
          `(${errorRatioRecord(w.long)}${selector} / ${budget} > ${w.factor} and ${errorRatioRecord(w.short)}${selector} / ${budget} > ${w.factor})`,
      )
      .join('\nor\n'),
    for: burn.for,
    severity: burn.severity,
    summary: `${slo.name}: error budget burning at {{ $value | printf "%.1f" }}× (${burn.severity === 'page' ? 'fast' : 'slow'})`,
    description:
      `The ${slo.name} SLO (objective ${Number((slo.objective * 100).toPrecision(6))} %: ${slo.promise}) is spending its 30-day error budget ` +
      `{{ $value | printf "%.1f" }} times faster than it can afford (windows ${burn.windows.map((w) => `${w.long}/${w.short} over ${w.factor}×`).join(', ')}).`,
  }));
  return {
    name: `slo-${slo.name}`,
    groups: [
      { name: `slo-${slo.name}-sli`, rules: recording },
      { name: `slo-${slo.name}-alerts`, rules: alerts },
    ],
    tests: [{ alert: slo.alert, rules: alerts, cases: sloCases(slo) }],
  };
}

/** Events a minute in the tests: bad ones as a multiple of the budget, out of 10,000. */
function traffic(slo: Slo, burn: number): { good: number; bad: number } {
  const bad = Math.round(burn * budgetOf(slo) * 10_000);
  return { good: 10_000 - bad, bad };
}

/**
 * The tests: 50× burns both severities (each pending before its `for`); 5× is a near miss for the
 * page (under 6× and 14.4×) while the ticket fires; 0.8× fires nothing.
 */
function sloCases(slo: Slo): AlertCases {
  const labels = { slo: slo.name, service: slo.service };
  const fast = traffic(slo, 50);
  const slow = traffic(slo, 5);
  const calm = traffic(slo, 0.8);
  return {
    fires: {
      input: slo.series(fast.good, fast.bad),
      pendingAt: '1m',
      at: '4m',
      alerts: [{ labels: { ...labels, severity: 'page' }, value: 50 }],
      later: [
        {
          at: '20m',
          alerts: [
            { labels: { ...labels, severity: 'page' }, value: 50 },
            { labels: { ...labels, severity: 'ticket' }, value: 50 },
          ],
        },
      ],
    },
    nearMiss: {
      input: slo.series(slow.good, slow.bad),
      at: '20m',
      alerts: [{ labels: { ...labels, severity: 'ticket' }, value: 5 }],
    },
    // Just under the slowest threshold, for longer than the ticket's windows fill: nothing fires.
    moreNearMisses: [{ input: slo.series(calm.good, calm.bad), at: '8h' }],
  };
}
