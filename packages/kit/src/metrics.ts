import type { Span } from '@opentelemetry/api';
import { TraceFlags, trace } from '@opentelemetry/api';
import { getHeapStatistics } from 'node:v8';
import { SCENARIO_NAMES } from './flags/scenarios.js';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { SpanExportTally } from './telemetry/span-export.js';

/** The OpenTelemetry semantic-convention buckets for request durations, in seconds. */
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

export type HttpServerLabels =
  'http_request_method' | 'http_route' | 'http_response_status_code' | 'error_type';
export type RpcLabels = 'rpc_system' | 'rpc_method' | 'rpc_grpc_status_code' | 'error_type';
export type DbLabels = 'db_system_name' | 'db_operation_name' | 'db_collection_name' | 'error_type';

/** What a connection pool tells of its saturation; a pg.Pool fits. */
export interface PoolState {
  readonly totalCount: number;
  readonly idleCount: number;
  readonly waitingCount: number;
}

/**
 * A process's Prometheus registry in OpenMetrics format, so latency histograms can carry
 * exemplars (trace_id, span_id) that link a slow bucket to a trace.
 */
export class ServiceMetrics {
  readonly registry = new Registry<typeof Registry.OPENMETRICS_CONTENT_TYPE>();

  readonly httpServerDuration: Histogram<HttpServerLabels>;
  readonly rpcServerDuration: Histogram<RpcLabels>;
  readonly rpcClientDuration: Histogram<RpcLabels>;
  readonly dbClientDuration: Histogram<DbLabels>;
  /** glasshouse_feature_flag_state{flag}: 1 while a failure scenario is on; dashboards mark its changes. */
  readonly featureFlagState: Gauge<'flag'>;
  private readonly pools = new Map<string, { state: PoolState; max: number }>();
  private spanExports: SpanExportTally | undefined;

  constructor(options: { defaultMetrics?: boolean } = {}) {
    this.registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
    if (options.defaultMetrics ?? true) {
      // Heap, GC, event-loop lag, CPU, RSS, handles: read at scrape time.
      collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 20 });
      // Per instance, where process_start_time_seconds is the process's: a service thread
      // restarted by the runner gets a new start time, so restarts show as its changes.
      this.gauge(
        'service_start_time_seconds',
        'When this instance of the service started (Unix time).',
        [],
      ).set(Date.now() / 1000);
      // The isolate's limit (RUN_THREAD_HEAP_MB for a service thread): heap used over it is how full.
      this.gauge('nodejs_heap_size_limit_bytes', 'The V8 heap size limit of this isolate.', []).set(
        getHeapStatistics().heap_size_limit,
      );
    }
    this.poolGauges();
    this.featureFlagState = this.gauge(
      'glasshouse_feature_flag_state',
      'Whether each failure scenario is switched on (1) or off (0); a game day’s hidden ones read 0.',
      ['flag'],
    );
    for (const flag of SCENARIO_NAMES) this.featureFlagState.set({ flag }, 0);
    // Counted by the exporter (telemetry/span-export.ts), which starts before this registry.
    this.counter(
      'otel_sdk_exporter_span_exported',
      'Spans the trace exporter delivered, and lost with error_type (otel.sdk.exporter.span.exported).',
      ['error_type'],
      (counter) => {
        const tally = this.spanExports;
        counter.reset();
        if (!tally) return;
        counter.inc(tally.exported);
        if (tally.failed > 0) counter.inc({ error_type: 'export_failed' }, tally.failed);
      },
    );
    this.httpServerDuration = this.histogram(
      'http_server_request_duration_seconds',
      'Duration of HTTP server requests (http.server.request.duration).',
      ['http_request_method', 'http_route', 'http_response_status_code', 'error_type'],
    );
    this.rpcServerDuration = this.histogram(
      'rpc_server_call_duration_seconds',
      'Duration of gRPC calls served (rpc.server.call.duration).',
      ['rpc_system', 'rpc_method', 'rpc_grpc_status_code', 'error_type'],
    );
    this.rpcClientDuration = this.histogram(
      'rpc_client_call_duration_seconds',
      'Duration of gRPC calls made (rpc.client.call.duration).',
      ['rpc_system', 'rpc_method', 'rpc_grpc_status_code', 'error_type'],
    );
    this.dbClientDuration = this.histogram(
      'db_client_operation_duration_seconds',
      'Duration of database operations (db.client.operation.duration).',
      ['db_system_name', 'db_operation_name', 'db_collection_name', 'error_type'],
    );
  }

  /** Reports what the trace exporter of this service delivered and lost. */
  watchSpanExport(tally: SpanExportTally): void {
    this.spanExports = tally;
  }

  /** Reports a database pool's saturation in the db_client_connection_* gauges, read at scrape. */
  watchPool(name: string, state: PoolState, max: number): void {
    this.pools.set(name, { state, max });
  }

  unwatchPool(name: string): void {
    this.pools.delete(name);
  }

  /** db.client.connection.* by pool name: no sample at all where there is no pool (PGlite, no database). */
  private poolGauges(): void {
    const pools = this.pools;
    const each = (
      set: (labels: { db_client_connection_pool_name: string }, state: PoolState, max: number) => void,
    ) => {
      for (const [name, { state, max }] of pools) set({ db_client_connection_pool_name: name }, state, max);
    };
    this.gauge(
      'db_client_connection_count',
      'Connections of the pool by state (db.client.connection.count).',
      ['db_client_connection_pool_name', 'db_client_connection_state'],
      (gauge) => {
        gauge.reset();
        each((pool, state) => {
          gauge.set({ ...pool, db_client_connection_state: 'used' }, state.totalCount - state.idleCount);
          gauge.set({ ...pool, db_client_connection_state: 'idle' }, state.idleCount);
        });
      },
    );
    this.gauge(
      'db_client_connection_max',
      'The size of the pool (db.client.connection.max).',
      ['db_client_connection_pool_name'],
      (gauge) => {
        gauge.reset();
        each((pool, _, max) => gauge.set(pool, max));
      },
    );
    this.gauge(
      'db_client_connection_pending_requests',
      'Queries waiting for a connection of the pool (db.client.connection.pending_requests).',
      ['db_client_connection_pool_name'],
      (gauge) => {
        gauge.reset();
        each((pool, state) => gauge.set(pool, state.waitingCount));
      },
    );
  }

  /** A latency histogram with the semantic-convention buckets and exemplars enabled. */
  histogram<L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    buckets = DURATION_BUCKETS,
  ): Histogram<L> {
    return new Histogram<L>({
      name,
      help,
      labelNames,
      buckets,
      registers: [this.registry],
      enableExemplars: true,
    });
  }

  /**
   * A counter; OpenMetrics appends `_total` itself, so `orders_total` is exposed as `orders_total`.
   * `collect`, when given, sets its values at every scrape.
   */
  counter<L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    collect?: (counter: Counter<L>) => void,
  ): Counter<L> {
    return new Counter<L>({
      name: name.replace(/_total$/, ''),
      help,
      labelNames,
      registers: [this.registry],
      ...(collect && {
        collect(this: Counter<L>) {
          collect(this);
        },
      }),
    });
  }

  /** A gauge; `collect`, when given, sets its values at every scrape. */
  gauge<L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    collect?: (gauge: Gauge<L>) => void,
  ): Gauge<L> {
    return new Gauge<L>({
      name,
      help,
      labelNames,
      registers: [this.registry],
      ...(collect && {
        collect(this: Gauge<L>) {
          collect(this);
        },
      }),
    });
  }

  /** The exposition text for /metrics, and its content type. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

/** Exemplar labels of a span, or undefined when the span is absent or not sampled. */
export function exemplarOf(
  span: Span | undefined = trace.getActiveSpan(),
): Record<string, string> | undefined {
  const context = span?.spanContext();
  if (!context || (context.traceFlags & TraceFlags.SAMPLED) === 0) return undefined;
  return { trace_id: context.traceId, span_id: context.spanId };
}

/** Observes a duration with the current span as its exemplar. */
export function observeDuration<L extends string>(
  histogram: Histogram<L>,
  labels: Partial<Record<L, string | number>>,
  seconds: number,
  span?: Span,
): void {
  // Exemplar-enabled histograms take only the object form; empty exemplar labels record none.
  // prom-client types exemplar labels like metric labels; they are free-form in OpenMetrics.
  const exemplarLabels = (exemplarOf(span) ?? {}) as typeof labels;
  histogram.observe({ labels, value: seconds, exemplarLabels });
}

/** Seconds elapsed since a process.hrtime.bigint() reading. */
export function secondsSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}
