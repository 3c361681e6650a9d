import { series, steady } from './fixtures.js';
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
