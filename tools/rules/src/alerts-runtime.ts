import { growing, series, steady } from './fixtures.js';
import type { TestedAlert } from './model.js';

/** Cause-side alerts on the Node.js runtime of every service, and the alerting path itself. */

export const RUNTIME_ALERTS: readonly TestedAlert[] = [
  {
    alert: 'EventLoopLagHigh',
    expr: 'max by (service) (nodejs_eventloop_lag_p99_seconds{namespace="glasshouse"}) > 0.25',
    for: '5m',
    severity: 'ticket',
    summary: 'the event loop of {{ $labels.service }} lags {{ $value | printf "%.2f" }} s',
    description:
      'The 99th percentile of the event-loop delay of {{ $labels.service }} has been {{ $value | printf "%.2f" }} s, above 0.25 s for 5 minutes: synchronous work or CPU starvation delays every call it serves.',
    cases: {
      interval: '15s',
      fires: {
        input: [series('nodejs_eventloop_lag_p99_seconds', 'recommendation', steady(0.4))],
        pendingAt: '4m',
        at: '6m',
        alerts: [{ labels: { service: 'recommendation' }, value: 0.4 }],
      },
      nearMiss: {
        input: [series('nodejs_eventloop_lag_p99_seconds', 'recommendation', steady(0.2))],
        at: '10m',
      },
    },
  },
  {
    alert: 'HeapNearLimit',
    expr: 'max by (service) (nodejs_heap_size_used_bytes{namespace="glasshouse"} / nodejs_heap_size_limit_bytes{namespace="glasshouse"}) > 0.9',
    for: '5m',
    severity: 'ticket',
    summary: '{{ $labels.service }} uses {{ $value | humanizePercentage }} of its heap limit',
    description:
      'The V8 heap of {{ $labels.service }} has been {{ $value | humanizePercentage }} full for 5 minutes: garbage collection runs constantly and the next allocation peak ends in an out-of-memory restart.',
    cases: {
      interval: '15s',
      fires: {
        input: [
          series('nodejs_heap_size_used_bytes', 'orders', steady(950)),
          series('nodejs_heap_size_limit_bytes', 'orders', steady(1000)),
        ],
        pendingAt: '4m',
        at: '6m',
        alerts: [{ labels: { service: 'orders' }, value: 0.95 }],
      },
      nearMiss: {
        input: [
          series('nodejs_heap_size_used_bytes', 'orders', steady(850)),
          series('nodejs_heap_size_limit_bytes', 'orders', steady(1000)),
        ],
        at: '10m',
      },
    },
  },
  {
    alert: 'ServiceRestarting',
    expr: 'max by (service) (changes(service_start_time_seconds{namespace="glasshouse"}[15m])) >= 2',
    severity: 'ticket',
    summary: '{{ $labels.service }} restarted {{ $value }} times in 15 minutes',
    description:
      '{{ $labels.service }} started {{ $value }} times again in the last 15 minutes (a thread or process restarted by the runner, or a container by its orchestrator): it is crashing, running out of memory, or failing its liveness probe.',
    cases: {
      interval: '15s',
      fires: {
        input: [series('service_start_time_seconds', 'cart', '100x4 200x4 300x40')],
        at: '3m',
        alerts: [{ labels: { service: 'cart' }, value: 2 }],
      },
      nearMiss: { input: [series('service_start_time_seconds', 'cart', '100x4 200x40')], at: '3m' },
    },
  },
  {
    alert: 'TraceExportFailing',
    expr: 'sum by (service) (rate(otel_sdk_exporter_span_exported_total{error_type!=""}[5m])) / sum by (service) (rate(otel_sdk_exporter_span_exported_total[5m])) > 0.01',
    for: '5m',
    severity: 'ticket',
    summary: '{{ $labels.service }} loses {{ $value | humanizePercentage }} of its spans',
    description:
      'The trace exporter of {{ $labels.service }} has failed to deliver {{ $value | humanizePercentage }} of its spans for 5 minutes: traces of those requests are missing or broken in Tempo and Jaeger.',
    cases: {
      interval: '15s',
      fires: {
        input: [
          series('otel_sdk_exporter_span_exported_total', 'checkout', growing(90)),
          series('otel_sdk_exporter_span_exported_total', 'checkout', growing(10), {
            error_type: 'export_failed',
          }),
        ],
        pendingAt: '4m',
        at: '6m',
        alerts: [{ labels: { service: 'checkout' }, value: 0.1 }],
      },
      nearMiss: {
        input: [
          series('otel_sdk_exporter_span_exported_total', 'checkout', growing(1000)),
          series('otel_sdk_exporter_span_exported_total', 'checkout', growing(5), {
            error_type: 'export_failed',
          }),
        ],
        at: '10m',
      },
    },
  },
];

export const WATCHDOG: TestedAlert = {
  alert: 'Watchdog',
  expr: 'vector(1)',
  severity: 'info',
  labels: { service: 'prometheus' },
  summary: 'the alerting pipeline is alive',
  description:
    'Always firing (value {{ $value }}), so a heartbeat receiver notices when Prometheus, its rules or Alertmanager stop delivering.',
  cases: { fires: { input: [], at: '1m', alerts: [{ labels: {}, value: 1 }] } },
};
