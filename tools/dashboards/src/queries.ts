import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as loki from '@grafana/grafana-foundation-sdk/loki';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as tempo from '@grafana/grafana-foundation-sdk/tempo';
import type { DataSourceRef } from './datasources.js';
import { LOKI, PROMETHEUS, TEMPO } from './datasources.js';

/** Query builders for each data source, so that every target names its data source by uid. */

/** A PromQL range query, drawn over time. */
export function promQuery(expr: string, legend = '__auto'): prometheus.DataqueryBuilder {
  return new prometheus.DataqueryBuilder()
    .datasource(PROMETHEUS)
    .expr(expr)
    .legendFormat(legend)
    .range()
    .editorMode(prometheus.QueryEditorMode.Code);
}

/** A PromQL range query whose exemplars link the latency to a trace. */
export function promLatency(expr: string, legend = '__auto'): prometheus.DataqueryBuilder {
  return promQuery(expr, legend).exemplar(true);
}

/** A PromQL instant query as a table: one row per series, for table panels. */
export function promTable(expr: string, legend = '__auto'): prometheus.DataqueryBuilder {
  return promNow(expr, legend).format(prometheus.PromQueryFormat.Table);
}

/** A PromQL instant query, for a stat over the whole range (`[$__range]`), which needs no history. */
export function promNow(expr: string, legend = '__auto'): prometheus.DataqueryBuilder {
  return new prometheus.DataqueryBuilder()
    .datasource(PROMETHEUS)
    .expr(expr)
    .legendFormat(legend)
    .instant()
    .editorMode(prometheus.QueryEditorMode.Code);
}

/** A LogQL query: log lines when `expr` is a stream selector, a series when it is a metric query. */
export function lokiQuery(expr: string, legend = ''): loki.DataqueryBuilder {
  return new loki.DataqueryBuilder()
    .datasource(LOKI)
    .expr(expr)
    .legendFormat(legend)
    .queryType('range')
    .editorMode(loki.QueryEditorMode.Code);
}

/** A TraceQL search, listed as traces. */
export function traceQuery(query: string, limit = 20): tempo.DataqueryBuilder {
  return new tempo.DataqueryBuilder()
    .datasource(TEMPO)
    .queryType('traceql')
    .query(query)
    .limit(limit)
    .tableType(tempo.SearchTableType.Traces);
}

/** The shape of a Grafana PostgreSQL target (the SDK has no builder for it). */
export interface SqlQuery extends cog.Dataquery {
  readonly refId: string;
  readonly datasource: DataSourceRef;
  readonly rawSql: string;
  readonly rawQuery: true;
  readonly editorMode: 'code';
  readonly format: 'table' | 'time_series';
}

class SqlQueryBuilder implements cog.Builder<cog.Dataquery> {
  constructor(private readonly query: Omit<SqlQuery, '_implementsDataqueryVariant'>) {}

  build(): SqlQuery {
    return { ...this.query, _implementsDataqueryVariant: () => undefined };
  }
}

/**
 * SQL against one of the shop's PostgreSQL data sources. `time_series` wants a `time` column and
 * numeric values (a text `metric` column names the series); `table` shows the rows as they come.
 */
export function sqlQuery(
  datasource: DataSourceRef,
  rawSql: string,
  format: SqlQuery['format'] = 'table',
): cog.Builder<cog.Dataquery> {
  return new SqlQueryBuilder({
    refId: '',
    datasource: { type: datasource.type, uid: datasource.uid },
    rawSql: rawSql.trim().replace(/\s+/g, ' '),
    rawQuery: true,
    editorMode: 'code',
    format,
  });
}
