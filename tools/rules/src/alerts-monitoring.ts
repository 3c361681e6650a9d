import type { SeriesInput, TestedAlert } from './model.js';
import { growing, steady } from './fixtures.js';

/**
 * The watchers watched: the stack's own backends (Prometheus, Alertmanager, Grafana, Loki, Tempo,
 * Jaeger, the Collector, Alloy, flagd, the exporters), which the compose and Kubernetes stacks
 * scrape with `namespace="glasshouse-monitoring"`. Prometheus and Alertmanager failing as a
 * whole is Watchdog's to notice: these alerts need both alive.
 */

const NAMESPACE = 'glasshouse-monitoring';

function backendSeries(
  name: string,
  backend: string,
  values: string,
  extra: Readonly<Record<string, string>> = {},
): SeriesInput {
  const labels = Object.entries({
    service: backend,
    namespace: NAMESPACE,
    job: backend,
    instance: `${backend}:8888`,
    ...extra,
  })
    .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
    .join(', ');
  return { series: `${name}{${labels}}`, values };
}

const COLLECTOR_LOSSES = [
  'otelcol_exporter_send_failed_spans_total',
  'otelcol_exporter_enqueue_failed_spans_total',
  'otelcol_exporter_send_failed_log_records_total',
  'otelcol_exporter_send_failed_metric_points_total',
];

export const MONITORING_ALERTS: readonly TestedAlert[] = [
  {
    alert: 'MonitoringBackendDown',
    expr: `up{namespace="${NAMESPACE}"} == 0`,
    for: '2m',
    severity: 'ticket',
    summary: '{{ $labels.service }}, a backend of the monitoring stack, is down',
    description:
      'Prometheus has not been able to scrape {{ $labels.service }} at {{ $labels.instance }} for 2 minutes (up = {{ $value }}): the shop runs, but what this backend stores or shows (logs, traces, dashboards, flags, exporter metrics) is missing meanwhile.',
    cases: {
      interval: '15s',
      fires: {
        input: [backendSeries('up', 'loki', steady(0))],
        pendingAt: '90s',
        at: '3m',
        alerts: [
          {
            labels: { service: 'loki', namespace: NAMESPACE, job: 'loki', instance: 'loki:8888' },
            value: 0,
          },
        ],
      },
      nearMiss: { input: [backendSeries('up', 'loki', '1x3 0x6 1x20')], at: '5m' },
    },
  },
  {
    alert: 'CollectorDroppingTelemetry',
    expr: COLLECTOR_LOSSES.map((name) => `sum by (service, exporter) (rate(${name}[5m])) > 0.1`).join(
      '\nor\n',
    ),
    for: '5m',
    severity: 'ticket',
    summary: 'the collector loses data on its way to {{ $labels.exporter }}',
    description:
      'The OpenTelemetry Collector has failed to send or queue {{ $value | printf "%.2f" }} items a second (more than 0.1) for {{ $labels.exporter }} for 5 minutes: that backend is down, refusing data, or slower than the traffic, and its spans, logs or metrics are lost.',
    cases: {
      interval: '15s',
      fires: {
        input: [
          backendSeries('otelcol_exporter_send_failed_spans_total', 'otel-collector', growing(30), {
            exporter: 'otlp/tempo',
          }),
          backendSeries('otelcol_exporter_send_failed_spans_total', 'otel-collector', growing(0), {
            exporter: 'otlp/jaeger',
          }),
        ],
        pendingAt: '4m',
        at: '7m',
        alerts: [{ labels: { service: 'otel-collector', exporter: 'otlp/tempo' }, value: 2 }],
      },
      nearMiss: {
        input: [
          backendSeries('otelcol_exporter_send_failed_spans_total', 'otel-collector', growing(0.75), {
            exporter: 'otlp/tempo',
          }),
        ],
        at: '10m',
      },
    },
  },
  {
    alert: 'LogShippingFailing',
    expr: 'sum by (service) (rate(loki_write_dropped_entries_total[5m])) > 0.1',
    for: '5m',
    severity: 'ticket',
    summary: '{{ $labels.service }} drops log lines on their way to Loki',
    description:
      '{{ $labels.service }} has dropped {{ $value | printf "%.2f" }} log entries a second (more than 0.1) for 5 minutes instead of writing them to Loki: Loki is down, rejecting the streams (limits), or unreachable, and those lines will not be found.',
    cases: {
      interval: '15s',
      fires: {
        input: [backendSeries('loki_write_dropped_entries_total', 'alloy', growing(15))],
        pendingAt: '4m',
        at: '7m',
        alerts: [{ labels: { service: 'alloy' }, value: 1 }],
      },
      nearMiss: {
        input: [backendSeries('loki_write_dropped_entries_total', 'alloy', growing(0.75))],
        at: '10m',
      },
    },
  },
];
