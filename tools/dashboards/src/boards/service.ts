import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type { Board } from '../board.js';
import { buildBoard } from '../board.js';
import { PROMETHEUS, TEMPO } from '../datasources.js';
import { tablePanel, timeSeries } from '../panels.js';
import {
  DB,
  HTTP,
  HTTP_FAILED,
  RPC_CLIENT,
  RPC_FAILED,
  RPC_SERVER,
  SHOP,
  byPeer,
  errorRatio,
  quantile,
  sumRate,
} from '../promql.js';
import { promLatency, promQuery, traceQuery } from '../queries.js';

const SERVICE = `${SHOP}, service="$service"`;

/** The service variable: every Node.js service Prometheus scrapes in the shop. */
function serviceVariable(): dashboard.QueryVariableBuilder {
  return new dashboard.QueryVariableBuilder('service')
    .label('Service')
    .description('The shop service to show.')
    .datasource(PROMETHEUS)
    .query(`label_values(nodejs_version_info{${SHOP}}, service)`)
    .definition(`label_values(nodejs_version_info{${SHOP}}, service)`)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc)
    .current({ text: 'checkout', value: 'checkout' });
}

const latencyQuantiles = (histogram: string, by: string[]) => [
  promLatency(quantile(0.5, histogram, SERVICE, by), by.length ? `p50 {{${by.join('}} {{')}}}` : 'p50'),
  promLatency(quantile(0.95, histogram, SERVICE, by), by.length ? `p95 {{${by.join('}} {{')}}}` : 'p95'),
  promLatency(quantile(0.99, histogram, SERVICE, by), by.length ? `p99 {{${by.join('}} {{')}}}` : 'p99'),
];

/** One service in depth, chosen by the `service` variable. */
export function serviceBoard(): Board {
  return buildBoard({
    folder: 'Shop',
    file: 'service.json',
    uid: 'glasshouse-service',
    title: 'Glasshouse / Service',
    description:
      'One service: pages or gRPC calls served (rate, errors, duration), calls it makes by peer, ' +
      'its database statements, and its Node.js runtime. Latency panels carry trace exemplars.',
    tags: ['service'],
    variables: [serviceVariable()],
    links: [
      new dashboard.DashboardLinkBuilder('Logs of this service')
        .type(dashboard.DashboardLinkType.Link)
        .url('/d/glasshouse-logs?var-service=$service')
        .icon('doc')
        .tooltip('The Logs dashboard, narrowed to this service')
        .keepTime(true),
    ],
    sections: [
      {
        title: 'Pages served (HTTP)',
        panels: [
          timeSeries({
            title: 'Pages per second by route',
            description: 'Requests served per second by route template and status code (frontend only).',
            unit: 'reqps',
            targets: [
              promQuery(
                sumRate(`${HTTP}_count`, SERVICE, ['http_route', 'http_response_status_code']),
                '{{http_route}} {{http_response_status_code}}',
              ),
            ],
            width: 8,
            stacked: true,
          }),
          timeSeries({
            title: 'Page error ratio by route',
            description: 'Share of requests answered with a 5xx, by route template.',
            unit: 'percentunit',
            targets: [
              promQuery(errorRatio(`${HTTP}_count`, SERVICE, HTTP_FAILED, ['http_route']), '{{http_route}}'),
            ],
            width: 8,
          }),
          timeSeries({
            title: 'Page duration',
            description: 'Median, 95th and 99th percentile time to serve a page. Exemplars link to traces.',
            unit: 's',
            targets: latencyQuantiles(HTTP, []),
            width: 8,
          }),
        ],
      },
      {
        title: 'gRPC calls served',
        panels: [
          timeSeries({
            title: 'Calls per second by method',
            description: 'gRPC calls served per second, by method and status.',
            unit: 'reqps',
            targets: [
              promQuery(
                sumRate(`${RPC_SERVER}_count`, SERVICE, ['rpc_method', 'rpc_grpc_status_code']),
                '{{rpc_method}} {{rpc_grpc_status_code}}',
              ),
            ],
            width: 8,
            stacked: true,
          }),
          timeSeries({
            title: 'Call error ratio by method',
            description:
              'Share of calls that failed, by method: any error type, business refusals (out_of_stock) included.',
            unit: 'percentunit',
            targets: [
              promQuery(
                errorRatio(`${RPC_SERVER}_count`, SERVICE, RPC_FAILED, ['rpc_method']),
                '{{rpc_method}}',
              ),
            ],
            width: 8,
          }),
          timeSeries({
            title: 'Call duration by method',
            description: '95th percentile time to serve a call, by method. Exemplars link to traces.',
            unit: 's',
            targets: [promLatency(quantile(0.95, RPC_SERVER, SERVICE, ['rpc_method']), '{{rpc_method}}')],
            width: 8,
          }),
        ],
      },
      {
        title: 'Calls made, by peer',
        panels: [
          timeSeries({
            title: 'Outgoing calls per second by peer',
            description:
              'gRPC calls this service makes, per second, by the service called (retries included).',
            unit: 'reqps',
            targets: [
              promQuery(
                `sum by (peer) (${byPeer(`rate(${RPC_CLIENT}_count{${SERVICE}}[$__rate_interval])`)})`,
                '{{peer}}',
              ),
            ],
            width: 8,
            stacked: true,
          }),
          timeSeries({
            title: 'Outgoing call error ratio by peer',
            description:
              'Share of outgoing calls that failed, deadline exceeded included, by the service called.',
            unit: 'percentunit',
            targets: [
              promQuery(
                `(sum by (peer) (${byPeer(`rate(${RPC_CLIENT}_count{${SERVICE}, ${RPC_FAILED}}[$__rate_interval])`)}) ` +
                  `or 0 * sum by (peer) (${byPeer(`rate(${RPC_CLIENT}_count{${SERVICE}}[$__rate_interval])`)})) / ` +
                  `sum by (peer) (${byPeer(`rate(${RPC_CLIENT}_count{${SERVICE}}[$__rate_interval])`)})`,
                '{{peer}}',
              ),
            ],
            width: 8,
          }),
          timeSeries({
            title: 'Outgoing call duration by peer',
            description:
              '95th percentile time of outgoing calls, as this service saw them, by the service called.',
            unit: 's',
            targets: [
              promLatency(
                `histogram_quantile(0.95, sum by (le, peer) (${byPeer(`rate(${RPC_CLIENT}_bucket{${SERVICE}}[$__rate_interval])`)}))`,
                '{{peer}}',
              ),
            ],
            width: 8,
          }),
        ],
      },
      {
        title: 'Database',
        panels: [
          timeSeries({
            title: 'Statements per second',
            description: 'SQL statements run per second, by operation and table.',
            unit: 'ops',
            targets: [
              promQuery(
                sumRate(`${DB}_count`, SERVICE, ['db_operation_name', 'db_collection_name']),
                '{{db_operation_name}} {{db_collection_name}}',
              ),
            ],
            width: 8,
            stacked: true,
          }),
          timeSeries({
            title: 'Statement error ratio',
            description: 'Share of statements that failed (SQLSTATE or error name), by operation.',
            unit: 'percentunit',
            targets: [
              promQuery(
                errorRatio(`${DB}_count`, SERVICE, 'error_type!=""', ['db_operation_name']),
                '{{db_operation_name}}',
              ),
            ],
            width: 8,
          }),
          timeSeries({
            title: 'Statement duration',
            description: '95th percentile statement time by operation. Exemplars link to traces.',
            unit: 's',
            targets: [
              promLatency(quantile(0.95, DB, SERVICE, ['db_operation_name']), '{{db_operation_name}}'),
            ],
            width: 8,
          }),
        ],
      },
      {
        title: 'Node.js runtime',
        panels: [
          timeSeries({
            title: 'Event loop lag',
            description: 'Event loop delay: median, 99th percentile and largest seen by the runtime.',
            unit: 's',
            targets: [
              promQuery(`max(nodejs_eventloop_lag_p50_seconds{${SERVICE}})`, 'p50'),
              promQuery(`max(nodejs_eventloop_lag_p99_seconds{${SERVICE}})`, 'p99'),
              promQuery(`max(nodejs_eventloop_lag_max_seconds{${SERVICE}})`, 'max'),
            ],
            width: 6,
          }),
          timeSeries({
            title: 'Garbage collection',
            description:
              'Share of time spent in garbage collection pauses, by kind (major, minor, incremental).',
            unit: 'percentunit',
            targets: [promQuery(sumRate('nodejs_gc_duration_seconds_sum', SERVICE, ['kind']), '{{kind}}')],
            width: 6,
            stacked: true,
          }),
          timeSeries({
            title: 'Heap',
            description: 'V8 heap in use and its size, and the resident set size of the process.',
            unit: 'bytes',
            targets: [
              promQuery(`sum(nodejs_heap_size_used_bytes{${SERVICE}})`, 'heap used'),
              promQuery(`sum(nodejs_heap_size_total_bytes{${SERVICE}})`, 'heap size'),
              promQuery(`sum(process_resident_memory_bytes{${SERVICE}})`, 'resident'),
            ],
            width: 6,
          }),
          timeSeries({
            title: 'CPU',
            description: 'CPU time used per second, user and system (1 = one core busy).',
            unit: 'percentunit',
            targets: [
              promQuery(sumRate('process_cpu_user_seconds_total', SERVICE), 'user'),
              promQuery(sumRate('process_cpu_system_seconds_total', SERVICE), 'system'),
            ],
            width: 6,
            stacked: true,
          }),
        ],
      },
      {
        title: 'Traces',
        collapsed: true,
        panels: [
          tablePanel({
            title: 'Failed traces',
            description: 'Recent traces in which this service had a span with an error status (Tempo).',
            unit: 'short',
            datasource: TEMPO,
            targets: [traceQuery('{ resource.service.name = "$service" && status = error }')],
          }),
          tablePanel({
            title: 'Slow traces',
            description:
              'Recent traces in which a span of this service took longer than half a second (Tempo).',
            unit: 'short',
            datasource: TEMPO,
            targets: [traceQuery('{ resource.service.name = "$service" && duration > 500ms }')],
          }),
        ],
      },
    ],
  });
}
