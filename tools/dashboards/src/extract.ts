import type { Board } from './board.js';

/** Every query of a generated dashboard, as the tests read them: the JSON, not the builders. */

export type QueryLanguage = 'promql' | 'logql' | 'traceql' | 'sql' | 'label_values';

export interface ExtractedQuery {
  readonly board: string;
  /** The panel's title, or `variable <name>` / `annotation <name>`. */
  readonly where: string;
  /** The panel's type (timeseries, stat, table, …); `variable` or `annotation` otherwise. */
  readonly panelType: string;
  readonly language: QueryLanguage;
  readonly datasourceUid: string;
  readonly text: string;
  /** SQL and PromQL targets: `table` or `time_series`; instant for PromQL tables. */
  readonly format?: string;
  readonly instant?: boolean;
  /** PromQL whose exemplars the panel shows (latency histograms). */
  readonly exemplar?: boolean;
  readonly clusterOnly: boolean;
  /** Annotations mark events, so they may rightly find nothing. */
  readonly annotation: boolean;
}

/** A panel as it appears in the JSON, with only what the checks read. */
export interface PanelJson {
  readonly id?: number;
  readonly type: string;
  readonly title?: string;
  readonly description?: string;
  readonly datasource?: { readonly uid?: string; readonly type?: string };
  readonly fieldConfig?: { readonly defaults?: { readonly unit?: string } };
  readonly targets?: readonly Record<string, unknown>[];
  readonly panels?: readonly PanelJson[];
}

/** Every panel but rows, those inside collapsed rows included. */
export function panelsOf(board: Board): PanelJson[] {
  const top = (board.dashboard.panels ?? []) as unknown as PanelJson[];
  return top.flatMap((panel) => (panel.type === 'row' ? (panel.panels ?? []) : [panel]));
}

const LANGUAGE_OF_TYPE: Readonly<Record<string, QueryLanguage>> = {
  prometheus: 'promql',
  loki: 'logql',
  tempo: 'traceql',
  'grafana-postgresql-datasource': 'sql',
};

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

function targetQuery(target: Record<string, unknown>, type: string): string | undefined {
  switch (LANGUAGE_OF_TYPE[type]) {
    case 'promql':
    case 'logql':
      return text(target.expr);
    case 'traceql':
      return text(target.query);
    case 'sql':
      return text(target.rawSql);
    default:
      return undefined;
  }
}

export function queriesOf(board: Board): ExtractedQuery[] {
  const name = board.dashboard.title ?? board.file;
  const queries: ExtractedQuery[] = [];
  for (const panel of panelsOf(board)) {
    for (const target of panel.targets ?? []) {
      const datasource = (target.datasource ?? panel.datasource ?? {}) as { uid?: string; type?: string };
      const type = datasource.type ?? '';
      const query = targetQuery(target, type);
      const language = LANGUAGE_OF_TYPE[type];
      if (query === undefined || language === undefined) {
        throw new Error(`${name} / ${panel.title ?? '?'}: a target of type "${type}" without a query`);
      }
      queries.push({
        board: name,
        where: panel.title ?? '',
        panelType: panel.type,
        language,
        datasourceUid: datasource.uid ?? '',
        text: query,
        format: text(target.format),
        instant: target.instant === true,
        exemplar: target.exemplar === true,
        clusterOnly: board.clusterOnly.includes(panel.title ?? ''),
        annotation: false,
      });
    }
  }
  for (const variable of board.dashboard.templating?.list ?? []) {
    const query = variable.query;
    const definition = variable.definition ?? (typeof query === 'string' ? query : '');
    queries.push({
      board: name,
      where: `variable ${variable.name ?? ''}`,
      panelType: 'variable',
      language: 'label_values',
      datasourceUid: variable.datasource?.uid ?? '',
      text: definition,
      clusterOnly: false,
      annotation: false,
    });
  }
  for (const annotation of board.dashboard.annotations?.list ?? []) {
    if (annotation.builtIn) continue;
    const expr = (annotation as { expr?: unknown }).expr;
    queries.push({
      board: name,
      where: `annotation ${annotation.name ?? ''}`,
      panelType: 'annotation',
      language: 'promql',
      datasourceUid: annotation.datasource?.uid ?? '',
      text: text(expr) ?? '',
      clusterOnly: false,
      annotation: true,
    });
  }
  return queries;
}

/** `label_values(selector, label)` split in two; a selector-less form gives an empty selector. */
export function parseLabelValues(definition: string): { selector: string; label: string } {
  const match = /^label_values\(\s*(?:(.*),\s*)?([A-Za-z_][A-Za-z0-9_]*)\s*\)$/s.exec(definition.trim());
  if (!match?.[2]) throw new Error(`not a label_values() query: ${definition}`);
  return { selector: (match[1] ?? '').trim(), label: match[2] };
}
