/** The shapes of Glasshouse's alerting: rules as Prometheus reads them, and their unit tests. */

export type Severity = 'page' | 'ticket' | 'info';

export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  /** A Prometheus duration; absent fires on the first evaluation. */
  readonly for?: string;
  readonly severity: Severity;
  /** Labels the rule adds, `service` among them when the expression does not carry it. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Go templates over `$labels` and `$value` (see template.ts for what the tests can render). */
  readonly summary: string;
  readonly description: string;
}

export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
  readonly labels?: Readonly<Record<string, string>>;
}

export interface RuleGroup {
  readonly name: string;
  readonly rules: readonly (AlertRule | RecordingRule)[];
}

/** One input series of a promtool test, in promtool's expanding notation (`0+60x30`). */
export interface SeriesInput {
  readonly series: string;
  readonly values: string;
}

/** An alert the test expects: the labels its expression yields, and the value its annotations quote. */
export interface ExpectedAlert {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface FiringCase {
  readonly input: readonly SeriesInput[];
  /** When it is firing. */
  readonly at: string;
  /** When the condition holds but `for` has not passed: nothing may fire yet. Required with `for`. */
  readonly pendingAt?: string;
  readonly alerts: readonly ExpectedAlert[];
  /** Further checks on the same series, e.g. a slower severity firing later. */
  readonly later?: readonly { readonly at: string; readonly alerts: readonly ExpectedAlert[] }[];
}

export interface NearMissCase {
  readonly input: readonly SeriesInput[];
  readonly at: string;
  /** Alerts of the same name that do fire (another severity of an SLO); none by default. */
  readonly alerts?: readonly ExpectedAlert[];
}

/** The unit test every alert carries: it fires when it should, and just misses when it should not. */
export interface AlertCases {
  /** The input series' sample interval; 1m by default. */
  readonly interval?: string;
  readonly fires: FiringCase;
  /** Absent only for an alert that cannot miss (Watchdog). */
  readonly nearMiss?: NearMissCase;
  /** Further near misses, e.g. one per severity of an SLO. */
  readonly moreNearMisses?: readonly NearMissCase[];
}

/** A cause-side alert with its test. */
export interface TestedAlert extends AlertRule {
  readonly cases: AlertCases;
}

/** A rule file and the promtool tests that go with it. */
export interface RuleFile {
  /** The file name under deploy/prometheus/rules, without `.yml`. */
  readonly name: string;
  readonly groups: readonly RuleGroup[];
  /** How often promtool evaluates the rules in the tests; 1m by default. */
  readonly evaluationInterval?: string;
  /** Tests by alert name; several alerts may share a name (an SLO's page and ticket). */
  readonly tests: readonly {
    readonly alert: string;
    readonly rules: readonly AlertRule[];
    readonly cases: AlertCases;
  }[];
}

export function isAlertRule(rule: AlertRule | RecordingRule): rule is AlertRule {
  return 'alert' in rule;
}

export const RUNBOOK_DIR = 'docs/runbooks';

/** Where an alert's runbook lives, relative to the repository root. */
export function runbookPath(alert: string): string {
  return `${RUNBOOK_DIR}/${alert}.md`;
}
