/**
 * Grafana's data sources for Glasshouse, with the uids every dashboard, alert and correlation
 * names. Hosts are the compose service names; the embedded runner rewrites them to loopback.
 */

/** A reference from a panel, query or variable to a data source. */
export interface DataSourceRef {
  readonly type: string;
  readonly uid: string;
}

export const PROMETHEUS = { type: 'prometheus', uid: 'prometheus' } as const;
export const ALERTMANAGER = { type: 'alertmanager', uid: 'alertmanager' } as const;
export const LOKI = { type: 'loki', uid: 'loki' } as const;
export const TEMPO = { type: 'tempo', uid: 'tempo' } as const;
export const JAEGER = { type: 'jaeger', uid: 'jaeger' } as const;
export const POSTGRES_ORDERS = { type: 'grafana-postgresql-datasource', uid: 'postgres-orders' } as const;
export const POSTGRES_INVENTORY = {
  type: 'grafana-postgresql-datasource',
  uid: 'postgres-inventory',
} as const;
/** The auth service's database: seed 002's login_attempts, read by the brute-force alert. */
export const POSTGRES_AUTH = { type: 'grafana-postgresql-datasource', uid: 'postgres-auth' } as const;

/** Where each data source is reached in compose (and, through Services of the same names, Kubernetes). */
export const DATA_SOURCE_URLS = {
  prometheus: 'http://prometheus:9090',
  alertmanager: 'http://alertmanager:9093',
  loki: 'http://loki:3100',
  tempo: 'http://tempo:3200',
  jaeger: 'http://jaeger:16686',
  postgres: 'postgres:5432',
} as const;

/**
 * The read-only database login Grafana uses, from Grafana's environment. Provisioning files read
 * `${VAR}` from the environment, and `$$` stands for a literal dollar sign.
 */
export const READER_USER_ENV = 'GLASSHOUSE_GRAFANA_DB_USER';
export const READER_PASSWORD_ENV = 'GLASSHOUSE_GRAFANA_DB_PASSWORD';

/** The Loki query a span links to: the lines its service logged with its trace id. */
export const TRACE_TO_LOGS_QUERY =
  '{service_name="${__span.tags["service.name"]}"} | json | trace_id="${__trace.traceId}"';

/** The Prometheus queries a span links to, for its service (`$__tags` becomes service="…"). */
export const TRACE_TO_METRICS_QUERIES = [
  {
    name: 'gRPC calls served per second',
    query: 'sum(rate(rpc_server_call_duration_seconds_count{$__tags}[5m]))',
  },
  {
    name: 'gRPC p95 latency',
    query:
      'histogram_quantile(0.95, sum by (le) (rate(rpc_server_call_duration_seconds_bucket{$__tags}[5m])))',
  },
  {
    name: 'Page requests per second',
    query: 'sum(rate(http_server_request_duration_seconds_count{$__tags}[5m]))',
  },
] as const;

/** The exemplar label that holds a trace id, as the services write it on /metrics. */
export const EXEMPLAR_TRACE_ID_LABEL = 'trace_id';

/** The regular expression a Loki derived field matches in a JSON log line. */
export const TRACE_ID_IN_LOG_LINE = '"trace_id":"(\\w+)"';

type Json = string | number | boolean | readonly Json[] | { readonly [key: string]: Json };

/** Grafana leaves `$$` as `$`: every literal dollar of a provisioned value is doubled. */
const literal = (text: string): string => text.replaceAll('$', () => '$$');

const traceCorrelations = {
  tracesToLogsV2: {
    datasourceUid: LOKI.uid,
    spanStartTimeShift: '-5m',
    spanEndTimeShift: '5m',
    filterByTraceID: true,
    filterBySpanID: false,
    customQuery: true,
    query: literal(TRACE_TO_LOGS_QUERY),
  },
  tracesToMetrics: {
    datasourceUid: PROMETHEUS.uid,
    spanStartTimeShift: '-5m',
    spanEndTimeShift: '5m',
    tags: [{ key: 'service.name', value: 'service' }],
    queries: TRACE_TO_METRICS_QUERIES.map((q) => ({ name: q.name, query: literal(q.query) })),
  },
};

const postgres = (ref: DataSourceRef, name: string, database: string): Json => ({
  name,
  type: ref.type,
  uid: ref.uid,
  access: 'proxy',
  url: DATA_SOURCE_URLS.postgres,
  user: `\${${READER_USER_ENV}}`,
  editable: false,
  jsonData: {
    database,
    sslmode: 'disable',
    postgresVersion: 1500,
    timescaledb: false,
    maxOpenConns: 5,
  },
  secureJsonData: { password: `\${${READER_PASSWORD_ENV}}` },
});

/** deploy/grafana/provisioning/datasources/glasshouse.yaml, as data. */
export function dataSourceProvisioning(): Json {
  return {
    apiVersion: 1,
    datasources: [
      {
        name: 'Prometheus',
        type: PROMETHEUS.type,
        uid: PROMETHEUS.uid,
        access: 'proxy',
        url: DATA_SOURCE_URLS.prometheus,
        isDefault: true,
        editable: false,
        jsonData: {
          httpMethod: 'POST',
          timeInterval: '15s',
          exemplarTraceIdDestinations: [{ name: EXEMPLAR_TRACE_ID_LABEL, datasourceUid: TEMPO.uid }],
        },
      },
      {
        name: 'Alertmanager',
        type: ALERTMANAGER.type,
        uid: ALERTMANAGER.uid,
        access: 'proxy',
        url: DATA_SOURCE_URLS.alertmanager,
        editable: false,
        jsonData: { implementation: 'prometheus', handleGrafanaManagedAlerts: false },
      },
      {
        name: 'Loki',
        type: LOKI.type,
        uid: LOKI.uid,
        access: 'proxy',
        url: DATA_SOURCE_URLS.loki,
        editable: false,
        jsonData: {
          maxLines: 1000,
          derivedFields: [
            {
              name: 'trace_id',
              matcherType: 'regex',
              matcherRegex: TRACE_ID_IN_LOG_LINE,
              datasourceUid: TEMPO.uid,
              url: literal('${__value.raw}'),
              urlDisplayLabel: 'Open the trace',
            },
          ],
        },
      },
      {
        name: 'Tempo',
        type: TEMPO.type,
        uid: TEMPO.uid,
        access: 'proxy',
        url: DATA_SOURCE_URLS.tempo,
        editable: false,
        jsonData: {
          ...traceCorrelations,
          serviceMap: { datasourceUid: PROMETHEUS.uid },
          nodeGraph: { enabled: true },
          lokiSearch: { datasourceUid: LOKI.uid },
          search: { hide: false },
        },
      },
      {
        name: 'Jaeger',
        type: JAEGER.type,
        uid: JAEGER.uid,
        access: 'proxy',
        url: DATA_SOURCE_URLS.jaeger,
        editable: false,
        jsonData: { ...traceCorrelations, nodeGraph: { enabled: true } },
      },
      postgres(POSTGRES_ORDERS, 'Orders (PostgreSQL)', 'orders'),
      postgres(POSTGRES_INVENTORY, 'Inventory (PostgreSQL)', 'inventory'),
      postgres(POSTGRES_AUTH, 'Accounts (PostgreSQL)', 'auth'),
    ],
  };
}

/** Where the dashboards are, in the containers; the folders under it become Grafana folders. */
export const DASHBOARDS_PATH = '/var/lib/grafana/dashboards';

/** deploy/grafana/provisioning/dashboards/glasshouse.yaml, as data. */
export function dashboardProvisioning(path: string = DASHBOARDS_PATH): Json {
  return {
    apiVersion: 1,
    providers: [
      {
        name: 'glasshouse',
        orgId: 1,
        type: 'file',
        disableDeletion: true,
        allowUiUpdates: false,
        updateIntervalSeconds: 30,
        options: { path, foldersFromFilesStructure: true },
      },
    ],
  };
}

export type { Json };
