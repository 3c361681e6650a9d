import { SERVICES } from '@glasshouse/kit/core';
import { growing, histogram, series, steady, targetLabels } from './fixtures.js';
import type { TestedAlert } from './model.js';

/** Cause-side alerts on every service: reachable, answering, fast enough. */

/** gRPC codes that are the server's fault (the OpenTelemetry convention for server spans). */
export const SERVER_FAULT_CODES = 'UNKNOWN|DEADLINE_EXCEEDED|UNIMPLEMENTED|INTERNAL|UNAVAILABLE|DATA_LOSS';

/** The shop's services Prometheus must scrape: every implemented one but the load generator. */
export const SCRAPED_SERVICES: readonly string[] = SERVICES.filter(
  (s) => s.implemented && s.protocol !== 'worker',
).map((s) => s.name);

const RPC = 'rpc_server_call_duration_seconds';
const HTTP = 'http_server_request_duration_seconds';

const ratio = (bad: string, all: string): string =>
  `sum by (service) (rate(${bad}[5m])) / sum by (service) (rate(${all}[5m]))`;

export const SERVICE_ALERTS: readonly TestedAlert[] = [
  {
    alert: 'TargetDown',
    expr: 'up{namespace="glasshouse"} == 0',
    for: '1m',
    severity: 'page',
    summary: '{{ $labels.service }} is down',
    description:
      'Prometheus has not been able to scrape {{ $labels.service }} at {{ $labels.instance }} for a minute (up = {{ $value }}): the process is gone, hung, or unreachable.',
    cases: {
      interval: '15s',
      fires: {
        input: [{ ...series('up', 'cart', steady(0)) }],
        pendingAt: '45s',
        at: '90s',
        alerts: [{ labels: targetLabels('cart'), value: 0 }],
      },
      nearMiss: { input: [series('up', 'cart', '1x3 0x2 1x20')], at: '5m' },
    },
  },
  {
    alert: 'ServiceNotScraped',
    expr: SCRAPED_SERVICES.map((name) => `absent(up{namespace="glasshouse", service="${name}"})`).join(
      '\nor\n',
    ),
    for: '2m',
    severity: 'ticket',
    summary: 'Prometheus does not scrape {{ $labels.service }}',
    description:
      'No target of {{ $labels.service }} has been in Prometheus for 2 minutes (absent = {{ $value }}): its alerts cannot fire. Check the scrape configuration or service discovery.',
    cases: {
      interval: '15s',
      fires: {
        input: SCRAPED_SERVICES.filter((name) => name !== 'cart').map((name) =>
          series('up', name, steady(1)),
        ),
        pendingAt: '90s',
        at: '3m',
        alerts: [{ labels: { namespace: 'glasshouse', service: 'cart' }, value: 1 }],
      },
      nearMiss: { input: SCRAPED_SERVICES.map((name) => series('up', name, steady(0))), at: '5m' },
    },
  },
  {
    alert: 'ErrorRatioHigh',
    expr: `${ratio(`${RPC}_count{rpc_grpc_status_code=~"${SERVER_FAULT_CODES}"}`, `${RPC}_count`)} > 0.05\nor\n${ratio(`${HTTP}_count{http_response_status_code=~"5.."}`, `${HTTP}_count`)} > 0.05`,
    for: '5m',
    severity: 'ticket',
    summary: '{{ $labels.service }} fails {{ $value | humanizePercentage }} of its calls',
    description:
      '{{ $value | humanizePercentage }} of the gRPC calls or page requests {{ $labels.service }} served in the last 5 minutes failed for a reason of its own (a 5xx, or UNAVAILABLE, INTERNAL, DEADLINE_EXCEEDED, …); more than 5 % for 5 minutes.',
    cases: {
      interval: '15s',
      fires: {
        input: [
          series(`${RPC}_count`, 'orders', growing(90), {
            rpc_method: 'x.Orders/Get',
            rpc_grpc_status_code: 'OK',
          }),
          series(`${RPC}_count`, 'orders', growing(10), {
            rpc_method: 'x.Orders/Get',
            rpc_grpc_status_code: 'UNAVAILABLE',
          }),
          // Refusals of bad input are the caller's fault: they count as calls, not as failures.
          series(`${RPC}_count`, 'orders', growing(50), {
            rpc_method: 'x.Orders/Get',
            rpc_grpc_status_code: 'INVALID_ARGUMENT',
          }),
          series(`${HTTP}_count`, 'frontend', growing(80), {
            http_route: '/',
            http_response_status_code: '200',
          }),
          series(`${HTTP}_count`, 'frontend', growing(20), {
            http_route: '/',
            http_response_status_code: '500',
          }),
        ],
        pendingAt: '4m',
        at: '7m',
        alerts: [
          { labels: { service: 'frontend' }, value: 0.2 },
          { labels: { service: 'orders' }, value: 10 / 150 },
        ],
      },
      nearMiss: {
        input: [
          series(`${RPC}_count`, 'orders', growing(96), {
            rpc_method: 'x.Orders/Get',
            rpc_grpc_status_code: 'OK',
          }),
          series(`${RPC}_count`, 'orders', growing(4), {
            rpc_method: 'x.Orders/Get',
            rpc_grpc_status_code: 'INTERNAL',
          }),
          series(`${RPC}_count`, 'orders', growing(50), {
            rpc_method: 'x.Orders/Get',
            rpc_grpc_status_code: 'FAILED_PRECONDITION',
          }),
        ],
        at: '10m',
      },
    },
  },
  {
    alert: 'LatencyP99High',
    expr: [RPC, HTTP]
      .map((name) => `histogram_quantile(0.99, sum by (service, le) (rate(${name}_bucket[5m]))) > 1`)
      .join('\nor\n'),
    for: '5m',
    severity: 'ticket',
    summary: '{{ $labels.service }} answers 1 % of its calls in more than {{ $value | printf "%.2f" }} s',
    description:
      'The 99th percentile of the calls {{ $labels.service }} served over 5 minutes is {{ $value | printf "%.2f" }} s, above 1 s for 5 minutes. Its exemplars link the slow buckets to traces.',
    cases: {
      interval: '15s',
      fires: {
        input: histogram(
          RPC,
          'currency',
          { '0.5': 95, '1': 95, '2.5': 100 },
          { rpc_method: 'x.Currency/Convert' },
        ),
        pendingAt: '4m',
        at: '7m',
        alerts: [{ labels: { service: 'currency' }, value: 2.2 }],
      },
      nearMiss: {
        input: histogram(
          RPC,
          'currency',
          { '0.5': 95, '1': 100, '2.5': 100 },
          { rpc_method: 'x.Currency/Convert' },
        ),
        at: '10m',
      },
    },
  },
];
