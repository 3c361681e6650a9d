import type { Measurement } from './load.js';

/** The flat result object written to bench/results/latest.json and shown as a table. */
export type ResultValue = string | number | boolean;
export type Results = Record<string, ResultValue>;

/** Keys every complete run writes (issue 5). */
export const REQUIRED_KEYS = [
  'home_rps',
  'home_p99_ms',
  'product_rps',
  'product_p99_ms',
  'add_to_cart_rps',
  'checkout_rps',
  'checkout_p99_ms',
  'convert_rps',
  'convert_p99_ms',
  'get_product_rps',
  'charge_rps',
  'http_ceiling_rps',
  'grpc_ceiling_rps',
  'telemetry_on_off_ratio_home',
  'telemetry_on_off_ratio_convert',
  'idle_rss_mb_total',
  'loaded_rss_mb_total',
  'cpu_s_per_1000_home',
  'cold_start_s',
  'machine_cores',
  'machine_cpu_model',
  'machine_node_version',
  'date',
] as const;

export function round(value: number, digits: number): number {
  if (!Number.isFinite(value)) return value;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** `<prefix>_rps`, `_p50_ms`, `_p90_ms`, `_p99_ms`, `_max_ms`, `_errors` of one measurement. */
export function measurementFields(prefix: string, m: Measurement): Results {
  return {
    [`${prefix}_rps`]: round(m.rps, 1),
    [`${prefix}_p50_ms`]: round(m.p50Ms, 2),
    [`${prefix}_p90_ms`]: round(m.p90Ms, 2),
    [`${prefix}_p99_ms`]: round(m.p99Ms, 2),
    [`${prefix}_max_ms`]: round(m.maxMs, 2),
    [`${prefix}_errors`]: m.errors,
    [`${prefix}_warmup_s`]: round(m.warmupSeconds, 1),
  };
}

export function numberAt(results: Results, key: string): number {
  const value = results[key];
  return typeof value === 'number' ? value : Number.NaN;
}

export interface TargetOutcome {
  readonly name: string;
  readonly value: number;
  /** How the value compares, e.g. "≥ 0.70 × grpc ceiling (12345)". */
  readonly goal: string;
  readonly met: boolean;
}

/** The targets of issue 5, judged on a run's results; a missing figure is a miss. */
export function evaluateTargets(results: Results): TargetOutcome[] {
  const n = (key: string) => numberAt(results, key);
  const atLeast = (name: string, value: number, min: number, goal: string): TargetOutcome => ({
    name,
    value,
    goal,
    met: value >= min,
  });
  const atMost = (name: string, value: number, max: number, goal: string): TargetOutcome => ({
    name,
    value,
    goal,
    met: value <= max,
  });
  const ceiling = n('grpc_ceiling_rps');
  return [
    atLeast(
      'convert_rps',
      n('convert_rps'),
      0.7 * ceiling,
      `≥ 0.7 × grpc_ceiling_rps (${formatNumber(0.7 * ceiling)})`,
    ),
    atLeast('telemetry_on_off_ratio_home', n('telemetry_on_off_ratio_home'), 0.85, '≥ 0.85'),
    atMost('idle_rss_mb_total', n('idle_rss_mb_total'), 1024, '≤ 1024 MB'),
    atMost('cold_start_s', n('cold_start_s'), 10, '≤ 10 s'),
    atLeast('checkout_rps', n('checkout_rps'), 200, '≥ 200 /s'),
    atMost('checkout_p99_ms', n('checkout_p99_ms'), 100, '≤ 100 ms'),
  ];
}

/** Numbers as the table shows them: three significant figures at least, no exponent. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  if (abs >= 100) return Math.round(value).toString();
  if (abs >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

interface Row {
  readonly label: string;
  readonly key: string;
  readonly unit: string;
  /** The ceiling this figure is read against. */
  readonly ceiling?: string;
}

const THROUGHPUT_ROWS: readonly Row[] = [
  { label: 'http ceiling (bare node:http)', key: 'http_ceiling', unit: 'req/s' },
  { label: 'home  GET /', key: 'home', unit: 'req/s', ceiling: 'http_ceiling_rps' },
  { label: 'product  GET /product/OLJCESPC7Z', key: 'product', unit: 'req/s', ceiling: 'http_ceiling_rps' },
  { label: 'add to cart  POST /cart', key: 'add_to_cart', unit: 'req/s', ceiling: 'http_ceiling_rps' },
  {
    label: 'add item + checkout (2 requests)',
    key: 'checkout',
    unit: 'orders/s',
    ceiling: 'http_ceiling_rps',
  },
  { label: '  of which POST /cart/checkout', key: 'checkout_post', unit: '', ceiling: undefined },
  {
    label: 'the same, as many users as pages',
    key: 'checkout_saturated',
    unit: 'orders/s',
    ceiling: 'http_ceiling_rps',
  },
  { label: 'grpc ceiling (bare grpc-js echo)', key: 'grpc_ceiling', unit: 'calls/s' },
  { label: 'currency Convert', key: 'convert', unit: 'calls/s', ceiling: 'grpc_ceiling_rps' },
  { label: 'catalog GetProduct', key: 'get_product', unit: 'calls/s', ceiling: 'grpc_ceiling_rps' },
  { label: 'payment Charge', key: 'charge', unit: 'calls/s', ceiling: 'grpc_ceiling_rps' },
  {
    label: 'home, telemetry on (paired rounds)',
    key: 'home_telemetry_on',
    unit: 'req/s',
    ceiling: 'http_ceiling_rps',
  },
  { label: 'home, telemetry off', key: 'home_telemetry_off', unit: 'req/s', ceiling: 'http_ceiling_rps' },
  {
    label: 'home, tracing without export',
    key: 'home_telemetry_local',
    unit: 'req/s',
    ceiling: 'http_ceiling_rps',
  },
  {
    label: 'Convert, telemetry on (paired)',
    key: 'convert_telemetry_on',
    unit: 'calls/s',
    ceiling: 'grpc_ceiling_rps',
  },
  {
    label: 'Convert, telemetry off',
    key: 'convert_telemetry_off',
    unit: 'calls/s',
    ceiling: 'grpc_ceiling_rps',
  },
  {
    label: 'Convert, tracing without export',
    key: 'convert_telemetry_local',
    unit: 'calls/s',
    ceiling: 'grpc_ceiling_rps',
  },
];

function table(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  rightAligned: number[],
): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) =>
        rightAligned.includes(i) ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0),
      )
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** Rows of the throughput table: operation, rate, unit, ratio to its ceiling, p50, p99, errors. */
export function throughputRows(results: Results): string[][] {
  const n = (key: string) => numberAt(results, key);
  return THROUGHPUT_ROWS.filter(
    (row) => results[`${row.key}_rps`] !== undefined || results[`${row.key}_p99_ms`] !== undefined,
  ).map((row) => {
    const rps = n(`${row.key}_rps`);
    const ratio = row.ceiling ? rps / n(row.ceiling) : Number.NaN;
    return [
      row.label,
      row.unit ? formatNumber(rps) : '',
      row.unit,
      Number.isFinite(ratio) ? `${formatNumber(ratio)}×` : '',
      formatNumber(n(`${row.key}_p50_ms`)),
      formatNumber(n(`${row.key}_p99_ms`)),
      results[`${row.key}_errors`] === undefined ? '' : String(results[`${row.key}_errors`]),
    ];
  });
}

export const THROUGHPUT_HEADER = ['operation', 'rate', 'unit', '÷ ceiling', 'p50 ms', 'p99 ms', 'errors'];

/** Rows of the table of single figures: telemetry ratios, memory, CPU, cold start, orders. */
export function figureRows(results: Results): string[][] {
  const n = (key: string) => numberAt(results, key);
  return [
    ['telemetry on/off, home', formatNumber(n('telemetry_on_off_ratio_home'))],
    ['telemetry on/off, Convert', formatNumber(n('telemetry_on_off_ratio_convert'))],
    ['idle RSS, all services (MB)', formatNumber(n('idle_rss_mb_total'))],
    ['loaded RSS peak, all services (MB)', formatNumber(n('loaded_rss_mb_total'))],
    ['CPU s per 1,000 home pages', formatNumber(n('cpu_s_per_1000_home'))],
    [
      'browser bundle (static/js/rum.js), raw / gzip (KB)',
      `${formatNumber(n('rum_bundle_kb'))} / ${formatNumber(n('rum_bundle_gzip_kb'))}`,
    ],
    [
      'RUM head tags per page, CPU (µs) / bytes',
      `${formatNumber(n('rum_head_cpu_us_per_page'))} / ${formatNumber(n('rum_head_bytes_per_page'))}`,
    ],
    ['cold start, spawn → all ready (s)', formatNumber(n('cold_start_s'))],
    ['cold start, runner "ready in" (s)', formatNumber(n('cold_start_runner_s'))],
    [
      'orders persisted / confirmed',
      `${String(results.orders_persisted ?? '—')} / ${String(results.orders_confirmed ?? '—')}` +
        (results.orders_placed_counter === undefined
          ? ''
          : ` (orders_total placed +${String(results.orders_placed_counter)})`),
    ],
  ];
}

/** Rows of the targets table: name, value, goal, met or MISSED. */
export function targetRows(results: Results): string[][] {
  return evaluateTargets(results).map((t) => [
    t.name,
    formatNumber(t.value),
    t.goal,
    t.met ? 'met' : 'MISSED',
  ]);
}

/** The whole report: throughput with ratios to the ceilings, footprint, targets met or missed. */
export function renderReport(results: Results): string {
  const n = (key: string) => numberAt(results, key);
  const throughput = throughputRows(results);
  const sections = [
    `Glasshouse bench — ${String(results.date)} — ${String(results.machine_cores)} cores ${String(results.machine_cpu_model)}, node ${String(results.machine_node_version)}`,
    `closed loop: ${String(results.bench_concurrency_http)} HTTP users (${String(results.bench_concurrency_checkout)} checking out), ${String(results.bench_concurrency_grpc)} gRPC users; warm-up until CPU per operation settles (${String(results.bench_warmup_s)}–${String(results.bench_max_warmup_s)} s) + ${String(results.bench_measure_s)} s measured each`,
    '',
    table(THROUGHPUT_HEADER, throughput, [1, 3, 4, 5, 6]),
    '',
  ];
  const figures = figureRows(results);
  // Memory is per process (one per service, or the runner alone); CPU per service process or thread.
  const namesAfter = (prefix: string): string[] =>
    Object.keys(results)
      .filter((key) => key.startsWith(prefix))
      .map((key) => key.slice(prefix.length))
      .filter((name) => name !== 'total' && !name.startsWith('telemetry_'));
  const names = [...new Set([...namesAfter('idle_rss_mb_'), ...namesAfter('cpu_s_per_1000_home_')])];
  const perService = names.map((name) => [
    name,
    formatNumber(n(`idle_rss_mb_${name}`)),
    formatNumber(n(`loaded_rss_mb_${name}`)),
    formatNumber(n(`cpu_s_per_1000_home_${name}`)),
    formatNumber(n(`cpu_s_per_1000_checkout_${name}`)),
  ]);
  sections.push(table(['figure', 'value'], figures, [1]), '');
  if (perService.length > 0) {
    const columns = ['part', 'idle MB', 'peak MB', 'CPU s/1k home', 'CPU s/1k checkout'];
    sections.push(table(columns, perService, [1, 2, 3, 4]), '');
  }
  const targets = targetRows(results);
  sections.push(table(['target', 'value', 'goal', ''], targets, [1]), '');
  return sections.join('\n');
}
