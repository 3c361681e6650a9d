/** Metric names as rules name them, and where each must be documented. */

export const HISTOGRAM_SUFFIXES: readonly string[] = ['_bucket', '_count', '_sum'];

/** Series Prometheus makes itself for every target; no exporter or service emits them. */
export const PROMETHEUS_SERIES: readonly string[] = [
  'up',
  'scrape_duration_seconds',
  'scrape_samples_scraped',
];

/** Series the stack's own backends emit about themselves, named by the monitoring alerts. */
export const BACKEND_SERIES: readonly { readonly name: string; readonly source: string }[] = [
  { name: 'otelcol_exporter_send_failed_spans_total', source: 'OpenTelemetry Collector' },
  { name: 'otelcol_exporter_send_failed_log_records_total', source: 'OpenTelemetry Collector' },
  { name: 'otelcol_exporter_send_failed_metric_points_total', source: 'OpenTelemetry Collector' },
  { name: 'otelcol_exporter_enqueue_failed_spans_total', source: 'OpenTelemetry Collector' },
  { name: 'loki_write_dropped_entries_total', source: 'Grafana Alloy (loki.write)' },
];

/** The metric names a PromQL expression selects (names followed by `{` or `[`), recording rules excluded. */
export function metricsOf(expr: string): string[] {
  const names = new Set<string>();
  for (const match of expr.matchAll(/([A-Za-z_:][\w:]*)\s*[{[]/g)) {
    const name = match[1] ?? '';
    if (!name.includes(':') && !/^(by|without|on|ignoring|group_left|group_right)$/.test(name))
      names.add(name);
  }
  return [...names].sort();
}
