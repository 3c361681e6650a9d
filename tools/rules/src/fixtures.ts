import type { SeriesInput } from './model.js';

/** Input series for the alert tests, labelled as the embedded Prometheus scrapes them. */

/** The labels Prometheus adds to every series of a service's target. */
export function targetLabels(service: string): Record<string, string> {
  return { service, namespace: 'glasshouse', job: service, instance: `${service}:9464` };
}

/** `name{service's target labels, extra}` with `values` in promtool's notation. */
export function series(
  name: string,
  service: string,
  values: string,
  extra: Readonly<Record<string, string>> = {},
): SeriesInput {
  const labels = Object.entries({ ...targetLabels(service), ...extra })
    .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
    .join(', ');
  return { series: `${name}{${labels}}`, values };
}

/** A counter growing by `perStep` each sample, for `steps` samples. */
export const growing = (perStep: number, steps = 120): string =>
  perStep === 0 ? `0x${steps}` : `0+${perStep}x${steps}`;

/** A gauge holding `value` for `steps` samples. */
export const steady = (value: number, steps = 120): string => `${value}x${steps}`;

/** The buckets of a latency histogram: `counts` maps each `le` to the calls a step at or under it. */
export function histogram(
  name: string,
  service: string,
  counts: Readonly<Record<string, number>>,
  extra: Readonly<Record<string, string>> = {},
): SeriesInput[] {
  const total = Math.max(...Object.values(counts));
  return [
    ...Object.entries(counts).map(([le, count]) =>
      series(`${name}_bucket`, service, growing(count), { ...extra, le }),
    ),
    series(`${name}_bucket`, service, growing(total), { ...extra, le: '+Inf' }),
    series(`${name}_count`, service, growing(total), extra),
  ];
}
