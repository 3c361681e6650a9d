/** Metric names as rules name them, and where each must be documented. */

export const HISTOGRAM_SUFFIXES: readonly string[] = ['_bucket', '_count', '_sum'];

/** Series Prometheus makes itself for every target; no exporter or service emits them. */
export const PROMETHEUS_SERIES: readonly string[] = [
  'up',
  'scrape_duration_seconds',
  'scrape_samples_scraped',
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
