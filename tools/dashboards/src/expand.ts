/**
 * What Grafana does to a query before sending it, for the tests to do the same: template
 * variables and the built-in intervals and macros replaced by values.
 */

export interface Expansion {
  /** Template variables by name, such as { service: 'checkout' }. */
  readonly variables: Readonly<Record<string, string>>;
  /** `$__rate_interval`, `$__interval` and `$__range` as Prometheus durations. */
  readonly rateInterval: string;
  readonly interval: string;
  readonly range: string;
  /** The dashboard's time range, for SQL's `$__timeFilter(column)`. */
  readonly from: Date;
  readonly to: Date;
}

/** A query with every `$__…` built-in and `$variable` / `${variable}` replaced. */
export function expandQuery(query: string, expansion: Expansion): string {
  const from = expansion.from.toISOString();
  const to = expansion.to.toISOString();
  const expanded = query
    .replace(
      /\$__timeFilter\(([^)]+)\)/g,
      (_, column: string) => `${column.trim()} BETWEEN '${from}' AND '${to}'`,
    )
    .replaceAll('$__rate_interval', expansion.rateInterval)
    .replaceAll('$__interval', expansion.interval)
    .replaceAll('$__range', expansion.range)
    .replace(/\$\{(\w+)\}|\$([A-Za-z_]\w*)/g, (match: string, braced?: string, bare?: string) => {
      const name = braced ?? bare ?? '';
      const value = expansion.variables[name];
      if (value === undefined) throw new Error(`query names an unknown variable $${name}: ${query}`);
      return value;
    });
  return expanded;
}

/** The template variables a query uses, built-ins left out. */
export function variablesOf(query: string): string[] {
  const names = new Set<string>();
  for (const match of query.matchAll(/\$\{(\w+)\}|\$([A-Za-z_]\w*)/g)) {
    const name = match[1] ?? match[2] ?? '';
    if (!name.startsWith('__')) names.add(name);
  }
  return [...names];
}
