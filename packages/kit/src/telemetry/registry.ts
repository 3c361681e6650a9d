/**
 * The telemetry registry: every metric, span and log event Glasshouse emits, and the span and
 * log attributes of its own, each with its meaning. registry.spec.ts checks the code against
 * it both ways, and docs/telemetry.md is rendered from it (`npm run telemetry:doc`).
 *
 * Entries are grouped by signal, then by the code that emits them: `kit` (shared by every
 * service), `runtime` (prom-client's Node.js metrics) and one group per service.
 */
import type { ServiceName } from '../services.js';
import { SYNTHETIC_ATTRIBUTE } from './baggage.js';
import { markdownTable } from '../markdown-table.js';

/** Whose /metrics, traces or logs carry an entry. */
export type Emitters = readonly ServiceName[] | 'every service' | 'every gRPC service';

/** The code a group of entries lives in. */
export type TelemetryGroup = 'kit' | 'runtime' | ServiceName;

/**
 * For a name that is not a string literal in our code (made by an instrumentation, a library or
 * a template): a piece of text that must still be in that file for the entry to be current.
 */
export interface Evidence {
  readonly file: string;
  readonly text: string;
}

export interface MetricEntry {
  /** As exposed on /metrics: counters end in `_total` whatever the code registers. */
  readonly name: string;
  readonly type: 'counter' | 'histogram' | 'gauge';
  readonly unit: string;
  /** Label names, each with the values it takes. */
  readonly labels: Readonly<Record<string, string>>;
  /** Defaults to the group's service. */
  readonly emittedBy?: Emitters;
  readonly meaning: string;
  readonly evidence?: Evidence;
}

export interface SpanEntry {
  /** Exact, or a pattern with `<placeholders>` for names made by instrumentations. */
  readonly name: string;
  readonly kind: 'internal' | 'client' | 'server';
  readonly attributes: readonly string[];
  readonly emittedBy?: Emitters;
  readonly meaning: string;
  readonly evidence?: Evidence;
}

export interface LogEventEntry {
  /** The `message` field exactly as logged (`<placeholders>` where a library or template varies it). */
  readonly message: string;
  readonly level: 'debug' | 'info' | 'warn' | 'error' | 'fatal';
  /** Fields of the event, besides those every line carries. */
  readonly fields: readonly string[];
  readonly emittedBy?: Emitters;
  readonly meaning: string;
  readonly evidence?: Evidence;
}

export interface AttributeEntry {
  readonly name: string;
  readonly type: 'string' | 'int' | 'double' | 'boolean';
  readonly on: 'spans' | 'logs' | 'spans and logs';
  readonly emittedBy: Emitters;
  readonly meaning: string;
}

type Registry<E> = Readonly<Partial<Record<TelemetryGroup, readonly E[]>>>;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

const SECONDS = 'seconds';
const OK_OR_STATUS = 'ok, or the gRPC status name in lower case (invalid_argument, unavailable, …)';

/** A prom-client default metric, read at scrape time in every process. */
const runtime = (
  name: string,
  type: MetricEntry['type'],
  unit: string,
  meaning: string,
  labels: Readonly<Record<string, string>> = {},
): MetricEntry => ({
  name,
  type,
  unit,
  labels,
  emittedBy: 'every service',
  meaning,
  evidence: { file: 'packages/kit/src/metrics.ts', text: 'collectDefaultMetrics(' },
});

// ---------------------------------------------------------------------------------------------
// Metrics
// ---------------------------------------------------------------------------------------------

/** The vitals' page label: route templates only, so its values are bounded by the shop's routes. */
const BROWSER_PAGE_LABEL = "the page's route template (/, /product/:id, /cart, \u2026) or unmatched";
const BROWSER_SYNTHETIC_LABEL =
  "true when the page was the load generator's (synthetic_request baggage), else false";

export const METRICS: Registry<MetricEntry> = deepFreeze<Registry<MetricEntry>>({
  kit: [
    {
      name: 'glasshouse_feature_flag_state',
      type: 'gauge',
      unit: '1',
      labels: { flag: 'a failure scenario of deploy/flags (payment-failure, catalog-slow, …)' },
      emittedBy: 'every service',
      meaning:
        'Whether each failure scenario is switched on (1) or off (0), as the service reads its flags ' +
        '(issue 19); the dashboards mark its changes. A game day’s hidden scenarios read 0.',
    },
    {
      name: 'http_server_request_duration_seconds',
      type: 'histogram',
      unit: SECONDS,
      labels: {
        http_request_method: 'GET, POST, …',
        http_route: 'the route template (/product/:id), or unmatched',
        http_response_status_code: '200, 303, 400, 404, 500, …',
        error_type: 'the status code when it is 5xx, else absent',
      },
      emittedBy: ['frontend'],
      meaning:
        'Page requests served (http.server.request.duration), with a trace exemplar. Probes, /metrics ' +
        'and /static/ are not counted. The RED metric of the shop.',
    },
    {
      name: 'rpc_server_call_duration_seconds',
      type: 'histogram',
      unit: SECONDS,
      labels: {
        rpc_system: 'grpc',
        rpc_method: 'the full method (hipstershop.CartService/GetCart)',
        rpc_grpc_status_code: 'the status name (OK, INVALID_ARGUMENT, UNAVAILABLE, …)',
        error_type: 'the error type of a failed call: a status name or a business reason (out_of_stock)',
      },
      emittedBy: 'every gRPC service',
      meaning:
        'gRPC calls served (rpc.server.call.duration), with a trace exemplar. Health checks and ' +
        'reflection are not counted.',
    },
    {
      name: 'rpc_client_call_duration_seconds',
      type: 'histogram',
      unit: SECONDS,
      labels: {
        rpc_system: 'grpc',
        rpc_method: 'the full method called',
        rpc_grpc_status_code: 'the status name the caller saw (DEADLINE_EXCEEDED included)',
        error_type: 'the status name of a failed call',
      },
      emittedBy: ['frontend', 'checkout', 'recommendation'],
      meaning: 'gRPC calls made to other services (rpc.client.call.duration), retries included.',
    },
    {
      name: 'db_client_operation_duration_seconds',
      type: 'histogram',
      unit: SECONDS,
      labels: {
        db_system_name: 'postgresql (PostgreSQL and the embedded PGlite alike)',
        db_operation_name: 'SELECT, INSERT, UPDATE, BEGIN, …',
        db_collection_name: 'the schema-qualified table (orders.orders), or empty',
        error_type: 'the SQLSTATE or error name of a failed statement',
      },
      emittedBy: ['productcatalog', 'orders', 'inventory', 'auth'],
      meaning: 'SQL statements run (db.client.operation.duration), with a trace exemplar.',
    },
    {
      name: 'db_client_connection_count',
      type: 'gauge',
      unit: 'connections',
      labels: {
        db_client_connection_pool_name: "the pool: the service's schema (orders, inventory, catalog)",
        db_client_connection_state: 'used, idle',
      },
      emittedBy: ['productcatalog', 'orders', 'inventory', 'auth'],
      meaning:
        'Connections of the PostgreSQL pool by state (db.client.connection.count), read at scrape; only ' +
        'with DATABASE_URL (PGlite has no pool).',
    },
    {
      name: 'db_client_connection_max',
      type: 'gauge',
      unit: 'connections',
      labels: { db_client_connection_pool_name: 'the pool' },
      emittedBy: ['productcatalog', 'orders', 'inventory', 'auth'],
      meaning: 'The size of the PostgreSQL pool (db.client.connection.max); only with DATABASE_URL.',
    },
    {
      name: 'db_client_connection_pending_requests',
      type: 'gauge',
      unit: 'requests',
      labels: { db_client_connection_pool_name: 'the pool' },
      emittedBy: ['productcatalog', 'orders', 'inventory', 'auth'],
      meaning:
        'Queries waiting for a pool connection (db.client.connection.pending_requests); only with DATABASE_URL.',
    },
    {
      name: 'otel_sdk_exporter_span_exported_total',
      type: 'counter',
      unit: 'spans',
      labels: { error_type: 'export_failed when the batch was lost, else absent' },
      emittedBy: 'every service',
      meaning:
        'Spans the OTLP trace exporter delivered, and lost (otel.sdk.exporter.span.exported); the batch ' +
        'processor does not retry a failed batch. Samples only with OTEL_EXPORTER_OTLP_ENDPOINT set.',
    },
    {
      name: 'service_start_time_seconds',
      type: 'gauge',
      unit: SECONDS,
      labels: {},
      emittedBy: 'every service',
      meaning:
        'When this instance of the service started (Unix time); a thread restarted by the runner gets a ' +
        "new one, where process_start_time_seconds stays the process's. Its changes count restarts.",
    },
    {
      name: 'nodejs_heap_size_limit_bytes',
      type: 'gauge',
      unit: 'bytes',
      labels: {},
      emittedBy: 'every service',
      meaning: "The V8 heap size limit of the service's isolate (RUN_THREAD_HEAP_MB for a service thread).",
    },
  ],

  runtime: [
    runtime('process_cpu_user_seconds_total', 'counter', SECONDS, 'User CPU time of the process.'),
    runtime('process_cpu_system_seconds_total', 'counter', SECONDS, 'System CPU time of the process.'),
    runtime('process_cpu_seconds_total', 'counter', SECONDS, 'User and system CPU time of the process.'),
    runtime('process_start_time_seconds', 'gauge', SECONDS, 'When the process started (Unix time).'),
    runtime('process_resident_memory_bytes', 'gauge', 'bytes', 'Resident set size (RSS).'),
    runtime('process_virtual_memory_bytes', 'gauge', 'bytes', 'Virtual memory size (Linux).'),
    runtime('process_heap_bytes', 'gauge', 'bytes', 'Process heap size (Linux).'),
    runtime('process_open_fds', 'gauge', 'file descriptors', 'Open file descriptors (Linux).'),
    runtime('process_max_fds', 'gauge', 'file descriptors', 'The file descriptor limit (Linux).'),
    runtime('nodejs_eventloop_lag_seconds', 'gauge', SECONDS, 'Event loop lag, measured at scrape.'),
    runtime('nodejs_eventloop_lag_min_seconds', 'gauge', SECONDS, 'Smallest event loop delay seen.'),
    runtime('nodejs_eventloop_lag_max_seconds', 'gauge', SECONDS, 'Largest event loop delay seen.'),
    runtime('nodejs_eventloop_lag_mean_seconds', 'gauge', SECONDS, 'Mean event loop delay.'),
    runtime('nodejs_eventloop_lag_stddev_seconds', 'gauge', SECONDS, 'Spread of the event loop delay.'),
    runtime('nodejs_eventloop_lag_p50_seconds', 'gauge', SECONDS, 'Median event loop delay.'),
    runtime('nodejs_eventloop_lag_p90_seconds', 'gauge', SECONDS, '90th percentile event loop delay.'),
    runtime('nodejs_eventloop_lag_p99_seconds', 'gauge', SECONDS, '99th percentile event loop delay.'),
    runtime('nodejs_active_resources', 'gauge', 'resources', 'Resources keeping the event loop alive.', {
      type: 'the async resource type',
    }),
    runtime('nodejs_active_resources_total', 'gauge', 'resources', 'All resources keeping the loop alive.'),
    runtime('nodejs_active_handles', 'gauge', 'handles', 'Active libuv handles.', {
      type: 'the handle class',
    }),
    runtime('nodejs_active_handles_total', 'gauge', 'handles', 'All active libuv handles.'),
    runtime('nodejs_active_requests', 'gauge', 'requests', 'Active libuv requests.', {
      type: 'the request class',
    }),
    runtime('nodejs_active_requests_total', 'gauge', 'requests', 'All active libuv requests.'),
    runtime('nodejs_heap_size_total_bytes', 'gauge', 'bytes', 'V8 heap size.'),
    runtime('nodejs_heap_size_used_bytes', 'gauge', 'bytes', 'V8 heap in use.'),
    runtime('nodejs_external_memory_bytes', 'gauge', 'bytes', 'Memory of C++ objects bound to JavaScript.'),
    runtime('nodejs_heap_space_size_total_bytes', 'gauge', 'bytes', 'V8 heap space size.', {
      space: 'new, old, code, large_object, …',
    }),
    runtime('nodejs_heap_space_size_used_bytes', 'gauge', 'bytes', 'V8 heap space in use.', {
      space: 'new, old, code, large_object, …',
    }),
    runtime('nodejs_heap_space_size_available_bytes', 'gauge', 'bytes', 'V8 heap space available.', {
      space: 'new, old, code, large_object, …',
    }),
    runtime('nodejs_version_info', 'gauge', '1', 'Always 1; the labels name the Node.js version.', {
      version: 'v20.x.y',
      major: 'major',
      minor: 'minor',
      patch: 'patch',
    }),
    runtime('nodejs_gc_duration_seconds', 'histogram', SECONDS, 'Garbage collection pauses.', {
      kind: 'major, minor, incremental, weakcb',
    }),
  ],

  ad: [
    {
      name: 'ads_served_total',
      type: 'counter',
      unit: 'ads',
      labels: { match: 'contextual (matched the context keys), random (none did)' },
      meaning: 'Ads returned by GetAds.',
    },
  ],

  auth: [
    {
      name: 'auth_login_attempts_total',
      type: 'counter',
      unit: 'attempts',
      labels: {
        result:
          'success, failure (wrong email or password), locked (refused while the account or address is locked out)',
      },
      meaning:
        'Login calls that reached the credential check, by result; each is also a row of login_attempts. ' +
        'The brute-force alert watches its failure rate.',
    },
    {
      name: 'auth_lockouts_total',
      type: 'counter',
      unit: 'lockouts',
      labels: {
        scope: 'account (too many failures of one account), address (too many from one client address)',
      },
      meaning:
        'Lockouts begun: counted once, by the failure that reached the limit, not per refused attempt.',
    },
    {
      name: 'auth_signups_total',
      type: 'counter',
      unit: 'calls',
      labels: { result: 'created, taken (the email has an account), invalid' },
      meaning: 'SignUp calls by result.',
    },
    {
      name: 'auth_sessions_active',
      type: 'gauge',
      unit: 'sessions',
      labels: {},
      meaning:
        'Sessions neither expired nor revoked, counted in the database after each sign-in and sign-out and every 15 s.',
    },
  ],

  cart: [
    {
      name: 'cart_operations_total',
      type: 'counter',
      unit: 'calls',
      labels: { operation: 'add_item, get_cart, empty_cart', result: OK_OR_STATUS },
      meaning: 'CartService calls by outcome; unavailable means the store (Redis) failed.',
    },
    {
      name: 'cache_requests_total',
      type: 'counter',
      unit: 'lookups',
      labels: { cache: 'cart', result: 'hit (the cart had items), miss (empty or unknown cart)' },
      meaning: 'GetCart reads of the cart store. Not a cache: hit means the shopper already had a cart.',
    },
  ],

  checkout: [
    {
      name: 'orders_total',
      type: 'counter',
      unit: 'orders',
      labels: { status: 'placed, duplicate, invalid, out_of_stock, payment_declined, failed' },
      meaning:
        'PlaceOrder calls by outcome (seed 002). duplicate: a retry of an order already stored, ' +
        'answered without charging again.',
    },
    {
      name: 'checkout_compensations_total',
      type: 'counter',
      unit: 'actions',
      labels: { action: 'release_stock, void_charge', result: 'ok, failed' },
      meaning:
        'Undo steps after a failure late in checkout. A failed one leaves stock held or a charge standing.',
    },
    {
      name: 'checkout_refunds_total',
      type: 'counter',
      unit: 'refunds',
      labels: { result: 'refunded, repeated (a finished refund asked again), refused, invalid, failed' },
      meaning:
        'RefundOrder calls by result. failed: a step could not be done (retry with the same refund id), ' +
        'or the order refused a refund already paid out (see the RefundsFailing runbook).',
    },
  ],

  email: [
    {
      name: 'emails_sent_total',
      type: 'counter',
      unit: 'emails',
      labels: { result: 'sent, failed (transport refused), rejected (bad request)', transport: 'smtp, log' },
      meaning: 'Order confirmations handled by SendOrderConfirmation.',
    },
  ],

  frontend: [
    {
      name: 'page_views_total',
      type: 'counter',
      unit: 'pages',
      labels: { page: 'home, product, cart, order-confirmation, orders' },
      meaning:
        'Pages rendered (seed 002), the cart re-shown with a form error included; error pages are not.',
    },
    {
      name: 'browser_web_vital_lcp_seconds',
      type: 'histogram',
      unit: 'seconds',
      labels: { page: BROWSER_PAGE_LABEL, synthetic: BROWSER_SYNTHETIC_LABEL },
      meaning:
        'Largest Contentful Paint reported by shoppers\u2019 browsers (web-vitals, via POST /rum/v1/vitals); buckets hold the ' +
        'Web Vitals thresholds (good \u2264 2.5 s, poor > 4 s).',
    },
    {
      name: 'browser_web_vital_inp_seconds',
      type: 'histogram',
      unit: 'seconds',
      labels: { page: BROWSER_PAGE_LABEL, synthetic: BROWSER_SYNTHETIC_LABEL },
      meaning:
        'Interaction to Next Paint reported by shoppers\u2019 browsers (web-vitals, via POST /rum/v1/vitals); buckets hold the ' +
        'Web Vitals thresholds (good \u2264 200 ms, poor > 500 ms).',
    },
    {
      name: 'browser_web_vital_cls',
      type: 'histogram',
      unit: '1',
      labels: { page: BROWSER_PAGE_LABEL, synthetic: BROWSER_SYNTHETIC_LABEL },
      meaning:
        'Cumulative Layout Shift (unitless) reported by shoppers\u2019 browsers (web-vitals, via POST /rum/v1/vitals); buckets hold the ' +
        'Web Vitals thresholds (good \u2264 0.1, poor > 0.25).',
    },
    {
      name: 'browser_web_vital_ttfb_seconds',
      type: 'histogram',
      unit: 'seconds',
      labels: { page: BROWSER_PAGE_LABEL, synthetic: BROWSER_SYNTHETIC_LABEL },
      meaning:
        'Time to First Byte of the page reported by shoppers\u2019 browsers (web-vitals, via POST /rum/v1/vitals); buckets hold the ' +
        'Web Vitals thresholds (good \u2264 0.8 s, poor > 1.8 s).',
    },
    {
      name: 'browser_spans_total',
      type: 'counter',
      unit: 'spans',
      labels: {
        outcome: 'forwarded, dropped (too many batches in flight), failed, not_exported (no endpoint)',
      },
      meaning: 'Spans received from shoppers\u2019 browsers on POST /rum/v1/traces, by what became of them.',
    },
  ],

  inventory: [
    {
      name: 'inventory_stock_level',
      type: 'gauge',
      unit: 'units',
      labels: { product_id: 'the product id (bounded catalogue)', product_name: 'its name' },
      meaning: 'Units in stock per product (seed 002); set on every change and refreshed periodically.',
    },
    {
      name: 'inventory_low_stock_products',
      type: 'gauge',
      unit: 'products',
      labels: {},
      meaning: 'Products at or below their low-stock threshold (seed 002).',
    },
    {
      name: 'inventory_restocks_total',
      type: 'counter',
      unit: 'products',
      labels: {},
      meaning: 'Products brought back up by the supplier job (INVENTORY_RESTOCK_INTERVAL_MS).',
    },
    {
      name: 'inventory_reservations_expired_total',
      type: 'counter',
      unit: 'reservations',
      labels: {},
      meaning:
        'Open reservations released by expiry (INVENTORY_RESERVATION_TTL_MS): each one a checkout that died before its order was placed.',
    },
    {
      name: 'inventory_returned_items_total',
      type: 'counter',
      unit: 'items',
      labels: {},
      meaning: 'Units put back in stock by refunds (ReturnStock), counted once per return id.',
    },
  ],

  loadgen: [
    {
      name: 'loadgen_requests_total',
      type: 'counter',
      unit: 'requests',
      labels: {
        journey: 'the journey (index, browseProduct, checkout, …)',
        step: 'the step (home, viewProduct, placeOrder, …)',
        status: 'the HTTP status the shop gave, or unexpected when it was not the planned one',
      },
      meaning: 'Requests the simulated shoppers sent; unexpected counts the shop misbehaving.',
    },
    {
      name: 'loadgen_request_duration_seconds',
      type: 'histogram',
      unit: SECONDS,
      labels: { journey: 'the journey', step: 'the step' },
      meaning: 'Duration of a step as the shopper saw it, redirects included, with a trace exemplar.',
    },
    {
      name: 'loadgen_checkouts_total',
      type: 'counter',
      unit: 'orders',
      labels: { result: 'placed, declined (bad card or address, as planned), out_of_stock, failed' },
      meaning: 'Orders the shoppers tried to place.',
    },
    {
      name: 'loadgen_journeys_total',
      type: 'counter',
      unit: 'journeys',
      labels: { journey: 'the journey' },
      meaning: 'Journeys finished.',
    },
    {
      name: 'loadgen_dropped_journeys_total',
      type: 'counter',
      unit: 'journeys',
      labels: {},
      meaning: 'Journeys not started at a fixed rate because every shopper was busy.',
    },
    {
      name: 'loadgen_shoppers',
      type: 'gauge',
      unit: 'shoppers',
      labels: {},
      meaning: 'Shoppers on a journey or thinking.',
    },
    {
      name: 'loadgen_brute_force_attempts_total',
      type: 'counter',
      unit: 'attempts',
      labels: {
        result:
          'refused (401), locked (429: locked out or rate-limited), signed_in, rejected (another 4xx), error, skipped (too many in flight)',
      },
      meaning: 'Guessed sign-ins of the login-brute-force scenario, by what the shop answered.',
    },
  ],

  orders: [
    {
      name: 'orders_persisted_total',
      type: 'counter',
      unit: 'calls',
      labels: { result: 'created, existing (idempotent repeat), conflict, invalid, error' },
      meaning: 'CreateOrder calls by result. Registered as orders_persisted; OpenMetrics adds _total.',
    },
    {
      name: 'orders_refunds_recorded_total',
      type: 'counter',
      unit: 'calls',
      labels: { result: 'recorded, existing (idempotent repeat), refused, invalid' },
      meaning:
        'RecordRefund calls by result. Registered as orders_refunds_recorded; OpenMetrics adds _total.',
    },
  ],

  payment: [
    {
      name: 'payments_total',
      type: 'counter',
      unit: 'charges',
      labels: {
        status: 'success, failed (card or amount refused), refunded (a refund recorded)',
        method: 'visa, mastercard, amex, discover, jcb, diners, unionpay, maestro, unknown',
      },
      meaning: 'Charge calls by outcome and card network (seed 002). An idempotent replay is not counted.',
    },
    {
      name: 'payment_amount_total',
      type: 'counter',
      unit: 'currency units',
      labels: { currency: 'the ISO 4217 code charged' },
      meaning: 'Money charged, in whole currency units (dollars, not cents) (seed 002).',
    },
    {
      name: 'payment_voids_total',
      type: 'counter',
      unit: 'calls',
      labels: { result: 'voided, already_voided, unknown' },
      meaning: 'VoidCharge calls by outcome; checkout voids a charge when a later step fails.',
    },
  ],

  productcatalog: [
    {
      name: 'cache_requests_total',
      type: 'counter',
      unit: 'lookups',
      labels: { cache: 'products', result: 'hit, miss' },
      meaning: 'Lookups of the in-memory product list (ListProducts and empty searches).',
    },
  ],

  recommendation: [
    {
      name: 'cache_requests_total',
      type: 'counter',
      unit: 'lookups',
      labels: {
        cache: 'catalog',
        result: 'hit, miss, stale (an expired copy served while the catalog failed)',
      },
      meaning: "Lookups of the recommender's copy of the product catalog.",
    },
    {
      name: 'recommendations_served_total',
      type: 'counter',
      unit: 'products',
      labels: {},
      meaning: 'Product ids returned by ListRecommendations.',
    },
  ],

  shipping: [
    {
      name: 'shipments_total',
      type: 'counter',
      unit: 'calls',
      labels: { result: 'shipped, rejected' },
      meaning: 'ShipOrder calls by outcome.',
    },
  ],
});

// ---------------------------------------------------------------------------------------------
// Spans
// ---------------------------------------------------------------------------------------------

const INSTRUMENTATIONS = 'packages/kit/src/telemetry/instrumentations.ts';
const GRPC_TRACING = 'packages/kit/src/grpc/tracing.ts';

export const SPANS: Registry<SpanEntry> = deepFreeze<Registry<SpanEntry>>({
  kit: [
    {
      name: 'grpc.<package.Service>/<Method>',
      kind: 'server',
      attributes: ['rpc.system', 'rpc.service', 'rpc.method', 'rpc.grpc.status_code', 'error.type'],
      emittedBy: 'every gRPC service',
      meaning:
        "A gRPC call served (the kit's GrpcServer, named as the gRPC instrumentation names it), e.g. " +
        'grpc.hipstershop.CartService/GetCart. Health Check/Watch and reflection are not traced.',
      evidence: { file: GRPC_TRACING, text: 'SpanKind.SERVER' },
    },
    {
      name: 'grpc.<package.Service>/<Method>',
      kind: 'client',
      attributes: [
        'rpc.system',
        'rpc.service',
        'rpc.method',
        'rpc.grpc.status_code',
        'server.address',
        'server.port',
        'error.type',
      ],
      emittedBy: ['frontend', 'checkout', 'recommendation'],
      meaning:
        "A gRPC call made to another service (the kit's client); its trace context travels in the " +
        'metadata and the server span is its child.',
      evidence: { file: GRPC_TRACING, text: 'SpanKind.CLIENT' },
    },
    {
      name: '<OPERATION> <schema.table>',
      kind: 'client',
      attributes: [
        'db.system.name',
        'db.namespace',
        'db.operation.name',
        'db.collection.name',
        'db.query.text',
        'error.type',
      ],
      emittedBy: ['productcatalog', 'orders', 'inventory', 'auth'],
      meaning:
        "One SQL statement through the kit's Database, on PostgreSQL or PGlite alike, e.g. SELECT " +
        'catalog.products; only the operation (BEGIN, COMMIT) when the statement names no table.',
      evidence: { file: 'packages/kit/src/database.ts', text: 'startActiveSpan(spanName' },
    },
    {
      name: '<METHOD>',
      kind: 'server',
      attributes: ['http.request.method', 'url.path', 'http.response.status_code'],
      emittedBy: 'every service',
      meaning:
        'An HTTP request no route matched on an admin or control port: a path other than /metrics, ' +
        '/healthz and /readyz (which are not traced).',
      evidence: { file: INSTRUMENTATIONS, text: 'new HttpInstrumentation(' },
    },
    {
      name: '<METHOD>',
      kind: 'client',
      attributes: ['http.request.method', 'url.full', 'http.response.status_code', 'server.address'],
      emittedBy: ['loadgen'],
      meaning: "An HTTP request sent with fetch (undici instrumentation): the load generator's requests.",
      evidence: { file: INSTRUMENTATIONS, text: 'new UndiciInstrumentation(' },
    },
  ],

  auth: [
    {
      name: 'sign up',
      kind: 'internal',
      attributes: ['app.customer.id', 'error.type'],
      meaning:
        'Checks the new account, hashes its password and stores it; ALREADY_EXISTS when the email is taken.',
    },
    {
      name: 'hash password',
      kind: 'internal',
      attributes: ['error.type'],
      meaning: "scrypt over the new password (the service's costliest step, by design).",
    },
    {
      name: 'sign in',
      kind: 'internal',
      attributes: ['app.auth.outcome', 'app.auth.lockout_scope', 'app.customer.id', 'error.type'],
      meaning: 'A Login: lockout check, password check, session start; outcome success, failure or locked.',
    },
    {
      name: 'check lockout',
      kind: 'internal',
      attributes: ['error.type'],
      meaning: "Counts the account's and the address's recent failures in login_attempts.",
    },
    {
      name: 'verify password',
      kind: 'internal',
      attributes: ['error.type'],
      meaning:
        'scrypt over the given password, compared in constant time (against a decoy when the email is unknown).',
    },
    {
      name: 'start session',
      kind: 'internal',
      attributes: ['error.type'],
      meaning: "Stores the new session's token hash and expiry.",
    },
    {
      name: 'verify token',
      kind: 'internal',
      attributes: ['app.auth.token_kind', 'error.type'],
      meaning: 'Resolves a session, machine or bootstrap token to its account and role.',
    },
    {
      name: 'sign out',
      kind: 'internal',
      attributes: ['error.type'],
      meaning: 'Revokes a session token (idempotent).',
    },
    {
      name: 'issue api token',
      kind: 'internal',
      attributes: ['app.auth.token_id', 'error.type'],
      meaning: "Makes an operator's machine token, stores its hash and audits the issue.",
    },
    {
      name: 'revoke api token',
      kind: 'internal',
      attributes: ['error.type'],
      meaning: 'Revokes a machine token and audits it.',
    },
    {
      name: 'set role',
      kind: 'internal',
      attributes: ['app.auth.role', 'error.type'],
      meaning: "Changes an account's role and appends its audit record in one transaction.",
    },
    {
      name: 'record audit',
      kind: 'internal',
      attributes: ['app.audit.action', 'error.type'],
      meaning: "Appends an admin action's audit record.",
    },
  ],

  cart: [
    {
      name: 'save cart item',
      kind: 'internal',
      attributes: ['app.product.id', 'app.product.quantity', 'error.type'],
      meaning: "AddItem's write to the cart store (one Redis script, or memory).",
    },
    {
      name: 'load cart',
      kind: 'internal',
      attributes: ['cache.hit', 'app.cart.items.count', 'error.type'],
      meaning: "GetCart's read of the cart store; cache.hit is true when the cart has items.",
    },
    {
      name: 'empty cart',
      kind: 'internal',
      attributes: ['error.type'],
      meaning: "EmptyCart's delete in the cart store.",
    },
    {
      name: '<redis command>',
      kind: 'client',
      attributes: ['db.system.name', 'db.operation.name', 'db.query.text', 'server.address', 'server.port'],
      meaning:
        'One Redis command under a traced call (ioredis instrumentation): evalsha (add item), hgetall, ' +
        'del. Only with REDIS_URL set.',
      evidence: { file: INSTRUMENTATIONS, text: 'new IORedisInstrumentation(' },
    },
  ],

  checkout: [
    {
      name: 'find existing order',
      kind: 'internal',
      attributes: ['error.type'],
      meaning: 'Asks the order service whether this order id is already stored (a retried checkout).',
    },
    {
      name: 'get cart',
      kind: 'internal',
      attributes: ['error.type'],
      meaning: "Reads the shopper's cart from the cart service.",
    },
    {
      name: 'price items',
      kind: 'internal',
      attributes: ['app.cart.items', 'error.type'],
      meaning: "Looks up every product and converts its price to the shopper's currency.",
    },
    {
      name: 'quote shipping',
      kind: 'internal',
      attributes: ['error.type'],
      meaning: "Gets a shipping quote and converts it to the shopper's currency.",
    },
    {
      name: 'reserve stock',
      kind: 'internal',
      attributes: ['error.type'],
      meaning: 'Reserves every item with the inventory service; error.type out_of_stock when it cannot.',
    },
    {
      name: 'charge card',
      kind: 'internal',
      attributes: ['app.payment.amount', 'app.payment.currency', 'error.type'],
      meaning:
        'Charges the total with the payment service under the order id as idempotency key; ' +
        'error.type payment_declined when refused.',
    },
    {
      name: 'release stock',
      kind: 'internal',
      attributes: ['error.type'],
      meaning: 'Compensation: gives reserved stock back after a later step failed.',
    },
    {
      name: 'void charge',
      kind: 'internal',
      attributes: ['error.type'],
      meaning: 'Compensation: voids the charge after shipping or persisting the order failed.',
    },
    {
      name: 'ship order',
      kind: 'internal',
      attributes: ['error.type'],
      meaning: 'Asks the shipping service for a tracking id.',
    },
    {
      name: 'persist order',
      kind: 'internal',
      attributes: ['error.type'],
      meaning: 'Stores the order with the order service, in up to 3 attempts on UNAVAILABLE or a deadline.',
    },
    {
      name: 'empty cart',
      kind: 'internal',
      attributes: ['error.type'],
      meaning: "Empties the shopper's cart after the order; a failure is logged, not fatal.",
    },
    {
      name: 'commit stock',
      kind: 'internal',
      attributes: ['error.type'],
      meaning: 'Tells inventory the order is placed, so its reservation never expires; a failure is logged.',
    },
    {
      name: 'send confirmation',
      kind: 'internal',
      attributes: ['error.type'],
      meaning: 'Asks the email service to send the confirmation; a failure is logged, not fatal.',
    },
    {
      name: 'look up order',
      kind: 'internal',
      attributes: ['error.type'],
      meaning: 'RefundOrder: reads the order and its refunds from the order service.',
    },
    {
      name: 'refund payment',
      kind: 'internal',
      attributes: ['app.order.id', 'app.payment.amount', 'app.payment.currency', 'error.type'],
      meaning: 'RefundOrder: refunds the amount with the payment service, once per refund.',
    },
    {
      name: 'record refund',
      kind: 'internal',
      attributes: ['error.type'],
      meaning: "RefundOrder: records the refund on the order and moves the order's status.",
    },
    {
      name: 'return stock',
      kind: 'internal',
      attributes: ['error.type'],
      meaning: 'RefundOrder: puts the refunded goods back in stock with the inventory service.',
    },
  ],

  email: [
    {
      name: 'send confirmation',
      kind: 'internal',
      attributes: ['email.transport', 'order.item_count', 'error.type'],
      meaning: 'Renders the confirmation and hands it to the transport (SMTP, or the log).',
    },
  ],

  frontend: [
    {
      name: '<METHOD> <route>',
      kind: 'server',
      attributes: [
        'http.request.method',
        'http.route',
        'url.path',
        'http.response.status_code',
        'error.type',
      ],
      meaning:
        "A page request: the span of the kit's traced server (telemetry/http-server.ts), renamed to " +
        'the route template (GET /product/:id, POST /cart/checkout). The root of a shopper trace, or ' +
        "the child of a load generator's request.",
      evidence: { file: 'services/frontend/src/app.ts', text: 'span.updateName(' },
    },
    {
      name: '<METHOD>',
      kind: 'server',
      attributes: ['http.request.method', 'url.path', 'http.response.status_code'],
      meaning:
        "A request no route matched (a 404): the kit's traced server names a span after the method " +
        'until a route renames it.',
      evidence: { file: 'packages/kit/src/telemetry/http-server.ts', text: 'SpanKind.SERVER' },
    },
    {
      name: 'documentLoad',
      kind: 'internal',
      attributes: ['url.full', 'app.synthetic_request'],
      meaning:
        "The page's load in a shopper's browser (service frontend-web, forwarded by the frontend): a child of " +
        "the page request's server span, whose traceparent the page carries. Events: the navigation timings.",
      evidence: { file: 'services/frontend/web/rum.ts', text: 'new DocumentLoadInstrumentation(' },
    },
    {
      name: 'documentFetch',
      kind: 'internal',
      attributes: ['url.full', 'app.synthetic_request'],
      meaning: 'The document request as the browser timed it, under documentLoad.',
      evidence: { file: 'services/frontend/web/rum.ts', text: 'new DocumentLoadInstrumentation(' },
    },
    {
      name: 'resourceFetch',
      kind: 'internal',
      attributes: ['url.full', 'app.synthetic_request'],
      meaning: 'One stylesheet, script or image the page loaded, under documentLoad.',
      evidence: { file: 'services/frontend/web/rum.ts', text: 'new DocumentLoadInstrumentation(' },
    },
    {
      name: '<event>',
      kind: 'internal',
      attributes: ['app.synthetic_request'],
      meaning:
        'A click or form submit in the page (user-interaction instrumentation), named after the event.',
      evidence: { file: 'services/frontend/web/rum.ts', text: 'new UserInteractionInstrumentation(' },
    },
    {
      name: '<METHOD> (browser)',
      kind: 'client',
      attributes: ['http.request.method', 'url.full', 'http.response.status_code', 'app.synthetic_request'],
      meaning:
        'A fetch() the page made, named after its method; its traceparent joins the server span it calls.',
      evidence: { file: 'services/frontend/web/rum.ts', text: 'new FetchInstrumentation(' },
    },
  ],

  inventory: [
    {
      name: 'reserve stock',
      kind: 'internal',
      attributes: [
        'app.reservation.id',
        'app.inventory.items.count',
        'app.inventory.reservation.outcome',
        'error.type',
      ],
      meaning: 'Takes every item of a reservation from stock in one transaction, or none of them.',
    },
    {
      name: 'release stock',
      kind: 'internal',
      attributes: ['app.reservation.id', 'app.inventory.released', 'error.type'],
      meaning: 'Puts the items of a reservation back in stock.',
    },
    {
      name: 'commit stock',
      kind: 'internal',
      attributes: ['app.reservation.id', 'error.type'],
      meaning: 'Keeps the items of a reservation out of stock for good: its order was placed.',
    },
    {
      name: 'return stock',
      kind: 'internal',
      attributes: ['app.return.id', 'app.inventory.items.count', 'app.inventory.returned', 'error.type'],
      meaning: "Puts a refund's goods back in stock, once per return id.",
    },
  ],

  loadgen: [
    {
      name: 'journey <journey>',
      kind: 'internal',
      attributes: ['app.loadgen.journey'],
      meaning: "One simulated shopper's journey (journey checkout); its steps are its children.",
      evidence: { file: 'services/loadgen/src/shopper.ts', text: 'startActiveSpan(`journey ${' },
    },
    {
      name: 'step <step>',
      kind: 'internal',
      attributes: ['app.loadgen.step', 'url.template', 'http.response.status_code', 'error.type'],
      meaning:
        'One step of a journey (step placeOrder), redirects included; ERROR when the shop answered ' +
        'other than planned.',
      evidence: { file: 'services/loadgen/src/shopper.ts', text: 'startActiveSpan(`step ${' },
    },
  ],

  orders: [
    {
      name: 'persist order',
      kind: 'internal',
      attributes: ['app.order.id', 'app.order.items.count', 'app.order.created', 'error.type'],
      meaning: 'Inserts the order and its items, or finds the one already stored under its id.',
    },
  ],

  payment: [
    {
      name: 'charge card',
      kind: 'internal',
      attributes: [
        'payment.method',
        'payment.amount',
        'payment.currency',
        'payment.idempotent_replay',
        'error.type',
      ],
      meaning: 'Checks the card and records the charge; a repeated idempotency key returns the first one.',
    },
    {
      name: 'void charge',
      kind: 'internal',
      attributes: ['error.type'],
      meaning: 'Voids a recorded charge.',
    },
    {
      name: 'refund charge',
      kind: 'internal',
      attributes: ['payment.amount', 'payment.currency', 'error.type'],
      meaning: 'Gives back part or all of a recorded charge, once per refund id.',
    },
  ],

  productcatalog: [
    {
      name: 'cache lookup',
      kind: 'internal',
      attributes: ['cache.name', 'cache.hit'],
      meaning: 'Serves the product list from memory, or reads it from the database on a miss.',
    },
  ],

  recommendation: [
    {
      name: 'cache lookup',
      kind: 'internal',
      attributes: ['cache.name', 'cache.hit', 'cache.stale', 'error.type'],
      meaning: 'Serves the catalog copy from memory, or reloads it from the catalog service on a miss.',
    },
  ],

  shipping: [
    {
      name: 'ship order',
      kind: 'internal',
      attributes: ['shipping.item_count', 'shipping.country', 'error.type'],
      meaning: 'Validates the address and items and makes up a tracking id.',
    },
  ],
});

// ---------------------------------------------------------------------------------------------
// Log events
// ---------------------------------------------------------------------------------------------

export const LOG_EVENTS: Registry<LogEventEntry> = deepFreeze<Registry<LogEventEntry>>({
  kit: [
    {
      message: 'feature flag changed',
      level: 'info',
      fields: ['feature_flag.key', 'feature_flag.variant'],
      emittedBy: 'every service',
      meaning:
        'A failure scenario was switched on or off in the flags the service reads (not for a game day’s hidden ones).',
    },
    {
      message: 'feature flag switched',
      level: 'info',
      fields: ['feature_flag.key', 'feature_flag.variant', 'audit.actor', 'audit.old', 'audit.new'],
      emittedBy: ['frontend'],
      meaning:
        'An admin switched a failure scenario (the admin page or API); the same record is appended ' +
        'to the audit file.',
    },
    {
      message: 'feature flag provider error',
      level: 'error',
      fields: ['error.message'],
      emittedBy: 'every service',
      meaning:
        'The flags source could not be read or parsed (a malformed flags file): the service keeps ' +
        'the last good flags, or every scenario off if it never read one.',
    },
    {
      message: 'feature flag provider warning',
      level: 'warn',
      fields: ['error.message'],
      emittedBy: 'every service',
      meaning:
        'The flagd provider reported something short of a failure (for example a flags source it ' +
        'had to read again); the flags in force do not change.',
    },
    {
      message: 'serving',
      level: 'info',
      fields: ['server.port', 'rpc.system'],
      emittedBy: 'every gRPC service',
      meaning: 'The gRPC port is open and the service is ready to be called.',
    },
    {
      message: 'admin endpoint listening',
      level: 'info',
      fields: ['server.port'],
      emittedBy: 'every gRPC service',
      meaning: 'The admin port (/metrics, /healthz, /readyz) is open.',
    },
    {
      message: 'call served',
      level: 'debug',
      fields: ['rpc.method', 'rpc.grpc.status_code', 'duration_s'],
      emittedBy: 'every gRPC service',
      meaning: 'One gRPC call answered (LOG_LEVEL=debug only).',
    },
    {
      message: 'call failed',
      level: 'error',
      fields: ['err', 'rpc.method'],
      emittedBy: 'every gRPC service',
      meaning: 'A handler threw something unexpected; the caller got INTERNAL without the details.',
    },
    {
      message: 'shutting down',
      level: 'info',
      fields: ['signal'],
      emittedBy: 'every service',
      meaning: 'SIGTERM, SIGINT, a closed stdin or an uncaught exception started graceful shutdown.',
    },
    {
      message: 'shutdown step timed out',
      level: 'warn',
      fields: ['step'],
      emittedBy: 'every service',
      meaning: 'A shutdown step (server, client, store) took too long and was left behind.',
    },
    {
      message: 'shutdown step failed',
      level: 'error',
      fields: ['err', 'step'],
      emittedBy: 'every service',
      meaning: 'A shutdown step threw; the others still run.',
    },
    {
      message: 'stopped',
      level: 'info',
      fields: [],
      emittedBy: 'every service',
      meaning: 'Every shutdown step ran; telemetry is flushed next and the process exits.',
    },
    {
      message: 'uncaught exception',
      level: 'fatal',
      fields: ['err'],
      emittedBy: 'every service',
      meaning: 'A bug escaped every handler; the service shuts down with exit code 1.',
    },
    {
      message: 'unhandled promise rejection',
      level: 'error',
      fields: ['err'],
      emittedBy: 'every service',
      meaning: 'A promise failed with nobody waiting for it; a bug, but the service keeps serving.',
    },
    {
      message: 'startup failed: <reason>',
      level: 'fatal',
      fields: [],
      emittedBy: 'every service',
      meaning:
        'Written to stderr as one JSON line before exiting: 2 for a configuration error (the reason ' +
        'names the variable), 1 otherwise.',
      evidence: { file: 'packages/kit/src/service.ts', text: 'startup failed: ${message}' },
    },
  ],

  auth: [
    {
      message: 'auth database ready',
      level: 'info',
      fields: ['db.kind', 'applied'],
      meaning: 'The database is open and migrated; applied lists the migrations run now.',
    },
    {
      message: 'no bootstrap token: set GLASSHOUSE_ADMIN_TOKEN to make the first admin',
      level: 'warn',
      fields: ['err'],
      meaning:
        'GLASSHOUSE_ADMIN_TOKEN is unset and ADMIN_TOKEN_FILE cannot be made (a read-only file system): no bootstrap token.',
    },
    {
      message: 'customer signed up',
      level: 'info',
      fields: ['app.customer.id', 'email'],
      meaning: 'A new account was stored; the email is masked by the logger.',
    },
    {
      message: 'sign-in succeeded',
      level: 'info',
      fields: ['app.customer.id', 'email', 'client.address'],
      meaning: 'A session was started.',
    },
    {
      message: 'sign-in failed',
      level: 'info',
      fields: ['email', 'client.address'],
      meaning: 'A wrong email or password (which, is not said).',
    },
    {
      message: 'lockout started',
      level: 'warn',
      fields: ['email', 'client.address', 'app.auth.lockout_scope', 'app.auth.retry_at'],
      meaning: 'A failure reached the account or address limit: sign-ins are refused until retry_at.',
    },
    {
      message: 'sign-in refused while locked out',
      level: 'warn',
      fields: ['email', 'client.address', 'app.auth.lockout_scope', 'app.auth.retry_at'],
      meaning: 'A Login answered RESOURCE_EXHAUSTED without checking the password.',
    },
    {
      message: 'signed out',
      level: 'info',
      fields: ['app.customer.id'],
      meaning: 'A session was revoked by Logout.',
    },
    {
      message: 'api token issued',
      level: 'info',
      fields: ['app.auth.token_id', 'app.customer.id'],
      meaning: 'An operator made a machine token (its value is never logged).',
    },
    {
      message: 'api token revoked',
      level: 'info',
      fields: ['app.auth.token_id', 'audit.actor'],
      meaning: 'A machine token was revoked.',
    },
    {
      message: 'role set',
      level: 'info',
      fields: ['app.customer.id', 'app.auth.role', 'audit.actor'],
      meaning: "An account's role was changed (also in the audit log).",
    },
    {
      message: 'audit recorded',
      level: 'info',
      fields: ['app.audit.action', 'audit.actor', 'app.audit.target'],
      meaning: 'An admin action was appended to the audit log.',
    },
    {
      message: 'session gauge refresh failed',
      level: 'warn',
      fields: ['err'],
      meaning: 'Counting the active sessions failed; auth_sessions_active keeps its last value.',
    },
  ],

  cart: [
    {
      message: 'cart store ready',
      level: 'info',
      fields: ['cart.store'],
      meaning: 'The cart store is open: redis, or memory when REDIS_URL is not set.',
    },
    {
      message: 'redis connection problem',
      level: 'warn',
      fields: ['err', 'db.system.name'],
      meaning: 'The Redis client lost or could not open its connection; it reconnects by itself.',
    },
    {
      message: 'cart storage failed',
      level: 'error',
      fields: ['err', 'error.type', 'cart.store'],
      meaning: 'A cart store call failed; the caller got UNAVAILABLE.',
    },
  ],

  checkout: [
    {
      message: 'order placed',
      level: 'info',
      fields: ['app.order.id', 'app.order.items', 'outcome'],
      meaning: 'PlaceOrder succeeded; outcome is placed, or duplicate for a retry of a stored order.',
    },
    {
      message: 'order not placed',
      level: 'warn',
      fields: ['app.order.id', 'outcome', 'reason'],
      meaning: 'PlaceOrder failed; outcome is the orders_total status and reason what the shopper was told.',
    },
    {
      message: 'stock reservation could not be released',
      level: 'error',
      fields: ['err', 'app.order.id'],
      meaning: 'A compensation failed: stock stays reserved for an order that was not placed.',
    },
    {
      message: 'charge could not be voided',
      level: 'error',
      fields: ['err', 'app.order.id', 'app.payment.transaction_id'],
      meaning: 'A compensation failed: the shopper was charged for an order that was not placed.',
    },
    {
      message: 'order could not be persisted',
      level: 'error',
      fields: ['err', 'app.order.id'],
      meaning: 'The order service refused or never answered after retries; the charge is voided next.',
    },
    {
      message: 'cart could not be emptied after the order',
      level: 'warn',
      fields: ['err', 'app.order.id'],
      meaning: 'The order is placed but the cart still holds its items.',
    },
    {
      message: 'stock reservation could not be committed',
      level: 'warn',
      fields: ['err', 'app.order.id'],
      meaning:
        'The order is placed but its reservation stays open; inventory gives the stock back once it expires.',
    },
    {
      message: 'order confirmation could not be sent',
      level: 'warn',
      fields: ['err', 'app.order.id'],
      meaning: 'The order is placed but no confirmation went out.',
    },
    {
      message: 'order refunded',
      level: 'info',
      fields: [
        'app.order.id',
        'app.refund.id',
        'app.refund.amount',
        'app.refund.currency',
        'app.refund.items',
        'audit.actor',
        'audit.client_address',
        'audit.old',
        'audit.new',
        'repeated',
        'reason',
      ],
      meaning:
        "The audit line of a refund: who, from where, what, and the order's status before and after; " +
        'repeated for a refund asked again.',
    },
    {
      message: 'order not refunded',
      level: 'warn',
      fields: ['app.order.id', 'app.refund.id', 'result', 'reason'],
      meaning:
        'RefundOrder failed; result is the checkout_refunds_total result and reason what the admin was told.',
    },
    {
      message: 'refunded charge not recorded on the order',
      level: 'error',
      fields: ['err', 'app.order.id', 'app.refund.id'],
      meaning:
        'The money went back but the order does not show it yet; a retry with the same refund id finishes.',
    },
    {
      message: 'refunded goods not returned to stock',
      level: 'error',
      fields: ['err', 'app.order.id', 'app.refund.id'],
      meaning:
        'The refund is recorded but its goods are not back in stock; a retry with the same refund id finishes.',
    },
  ],

  currency: [
    {
      message: 'rates loaded',
      level: 'info',
      fields: ['currencies', 'file'],
      meaning: 'The exchange rates file was read at startup.',
    },
  ],

  email: [
    {
      message: 'mail transport ready',
      level: 'info',
      fields: ['email.transport', 'server.address'],
      meaning: 'Confirmations go to SMTP (server.address is the host only) or to the log.',
    },
    {
      message: 'confirmation rendered',
      level: 'info',
      fields: ['email', 'order.id', 'order.item_count', 'email.html_bytes'],
      meaning: 'The log transport: a confirmation rendered instead of sent (email masked).',
    },
    {
      message: 'confirmation sent',
      level: 'info',
      fields: ['email', 'order.id', 'order.item_count', 'email.message_id'],
      meaning: 'The SMTP server accepted a confirmation (email masked).',
    },
    {
      message: 'confirmation not delivered',
      level: 'warn',
      fields: ['order.id', 'error.type', 'smtp.response_code'],
      meaning: 'The SMTP server refused or timed out; the caller got UNAVAILABLE.',
    },
  ],

  frontend: [
    {
      message: 'browser spans not forwarded',
      level: 'warn',
      fields: ['err'],
      meaning:
        "A batch of browser spans could not be sent to the OTLP receiver; it is lost (browser_spans_total{outcome='failed'}).",
    },
    {
      message: 'browser telemetry failed',
      level: 'error',
      fields: ['err'],
      meaning: 'POST /rum/v1/* failed after its payload was accepted: a bug; the browser got a 500.',
    },
    {
      message: 'serving the shop',
      level: 'info',
      fields: ['server.port'],
      meaning: 'The HTTP port is open.',
    },
    {
      message: 'Server listening at <address>',
      level: 'info',
      fields: [],
      meaning: "Fastify's own line, one per address it listens on.",
      evidence: { file: 'services/frontend/src/main.ts', text: 'app.listen(' },
    },
    {
      message: 'request completed',
      level: 'info',
      fields: ['http.request.method', 'http.route', 'http.response.status_code', 'duration_s'],
      meaning: 'One page request answered (probes and /static/ excepted); carries fastify reqId.',
    },
    {
      message: 'request refused',
      level: 'warn',
      fields: ['error.type', 'reason'],
      meaning: 'A 4xx answer: a bad form, a CSRF refusal, an unknown product, …',
    },
    {
      message: 'page failed',
      level: 'error',
      fields: ['err', 'error.type'],
      meaning: 'A 5xx answer: a backend failed or a bug; the shopper saw an error page.',
    },
    {
      message: 'recommendations unavailable; rendering without them',
      level: 'warn',
      fields: ['err'],
      meaning: 'The product page degraded: no recommendations.',
    },
    {
      message: 'cart size unavailable',
      level: 'warn',
      fields: ['err'],
      meaning: 'The header degraded: the cart size shows 0.',
    },
    {
      message: 'ad unavailable; rendering without it',
      level: 'warn',
      fields: ['err'],
      meaning: 'The page degraded: no ad.',
    },
    {
      message: 'guest cart not moved',
      level: 'warn',
      fields: ['err'],
      meaning:
        'At sign-in the guest cart could not join the account’s; what was not moved stays in the guest cart.',
    },
    {
      message: 'session not revoked at sign-out',
      level: 'warn',
      fields: ['err'],
      meaning: 'Auth did not answer the sign-out; the cookie is cleared and the session expires on its own.',
    },
    {
      message: 'admin action not audited',
      level: 'error',
      fields: ['err', 'app.audit.action'],
      meaning: 'An admin change was made but auth did not record it; the admin got a 502 saying so.',
    },
  ],

  inventory: [
    {
      message: 'inventory database ready',
      level: 'info',
      fields: ['db.kind', 'applied'],
      meaning: 'The database is open and migrated; applied lists the migrations run now.',
    },
    {
      message: 'stock reserved',
      level: 'info',
      fields: ['app.reservation.id', 'app.inventory.items.count'],
      meaning: 'A reservation took its items from stock.',
    },
    {
      message: 'stock released',
      level: 'info',
      fields: ['app.reservation.id', 'app.inventory.items.count'],
      meaning: 'A reservation gave its items back.',
    },
    {
      message: 'stock returned',
      level: 'info',
      fields: ['app.return.id', 'app.inventory.items.count'],
      meaning: "A refund's goods went back in stock.",
    },
    {
      message: 'reservation expired',
      level: 'warn',
      fields: ['app.reservation.id', 'app.inventory.items.count', 'app.reservation.age_s'],
      meaning: 'A reservation open past INVENTORY_RESERVATION_TTL_MS went back to stock: its checkout died.',
    },
    {
      message: 'reservation expiry failed',
      level: 'warn',
      fields: ['err'],
      meaning: 'The expiry job could not read or release reservations; it tries again at the next interval.',
    },
    {
      message: 'stock set',
      level: 'info',
      fields: ['product_id', 'quantity', 'threshold', 'previous_quantity'],
      meaning: 'SetStock changed a level by hand (restocking).',
    },
    {
      message: 'product below low-stock threshold',
      level: 'warn',
      fields: ['product_id', 'product_name', 'quantity', 'threshold'],
      meaning: 'A change took a product from above its threshold to at or below it.',
    },
    {
      message: 'low products restocked',
      level: 'info',
      fields: ['products'],
      meaning: 'The supplier job restocked these products, which were at or below their threshold.',
    },
    {
      message: 'restock failed',
      level: 'warn',
      fields: ['err'],
      meaning: 'The supplier job could not update the stock; it tries again at the next interval.',
    },
    {
      message: 'stock gauge refresh failed',
      level: 'warn',
      fields: ['err'],
      meaning: 'The periodic refresh of inventory_stock_level could not read the database.',
    },
  ],

  loadgen: [
    {
      message: 'control endpoint listening',
      level: 'info',
      fields: ['server.port', 'url.full', 'journeys'],
      meaning:
        'The control port (/status, /pause, /resume, /config, /metrics) is open; url.full is the shop.',
    },
    {
      message: 'waiting for the shop',
      level: 'info',
      fields: ['reason', 'check'],
      meaning: 'The shop is not ready yet; the generator tries again every second before sending traffic.',
    },
    {
      message: 'shoppers on their way',
      level: 'info',
      fields: ['shoppers', 'rate', 'thinkMs', 'invalidRate', 'durationS', 'iterations', 'rampS'],
      meaning: 'The shop answered and traffic started, with these settings and limits.',
    },
    {
      message: 'unexpected answer from the shop',
      level: 'warn',
      fields: [
        'app.loadgen.journey',
        'app.loadgen.step',
        'http.request.method',
        'url.template',
        'http.response.status_code',
        'expected',
        'error.message',
      ],
      meaning: 'A step got a status it did not plan for (or no answer); the journey stops there.',
    },
    {
      message: 'a journey stopped on an error',
      level: 'error',
      fields: ['err'],
      meaning:
        'An open-loop (fixed rate) journey threw: a bug in the load generator, not an answer of the shop.',
    },
    {
      message: 'a shopper stopped on an error',
      level: 'error',
      fields: ['err'],
      meaning:
        'A closed-loop shopper threw and stopped: a bug in the load generator, not an answer of the shop.',
    },
    {
      message: 'traffic run ended',
      level: 'info',
      fields: ['counts', 'state'],
      meaning: 'The run reached its duration or iterations, or was stopped; counts are its totals.',
    },
    {
      message: 'login brute force switched',
      level: 'info',
      fields: ['feature_flag.key', 'on'],
      meaning:
        'The login-brute-force scenario went on or off: the guessing starts or stops (not when a game day hides it).',
    },
  ],

  orders: [
    {
      message: 'orders database ready',
      level: 'info',
      fields: ['db.kind', 'applied'],
      meaning: 'The database is open and migrated; applied lists the migrations run now.',
    },
    {
      message: 'order persisted',
      level: 'info',
      fields: ['app.order.id', 'app.order.items.count', 'created'],
      meaning: 'CreateOrder stored a new order.',
    },
    {
      message: 'order already persisted',
      level: 'info',
      fields: ['app.order.id', 'app.order.items.count', 'created'],
      meaning: 'CreateOrder was repeated for an order already stored (an idempotent retry).',
    },
    {
      message: 'order refund recorded',
      level: 'info',
      fields: ['app.order.id', 'app.refund.id', 'app.refund.amount', 'audit.actor'],
      meaning: "RecordRefund stored a refund and moved the order's status.",
    },
  ],

  payment: [
    {
      message: 'payment database ready',
      level: 'info',
      fields: ['db.kind', 'applied'],
      meaning: 'The database is open and migrated; applied lists the migrations run now.',
    },
    {
      message: 'card charged',
      level: 'info',
      fields: [
        'payment.transaction_id',
        'payment.method',
        'payment.card_last_four',
        'payment.amount',
        'payment.currency',
      ],
      meaning: 'A charge was recorded; only the last four digits of the card are logged.',
    },
    {
      message: 'charge voided',
      level: 'info',
      fields: ['payment.transaction_id', 'payment.amount', 'payment.currency', 'reason'],
      meaning: 'A charge was voided; reason is what checkout gave (shipping failed, …).',
    },
    {
      message: 'charge refunded',
      level: 'info',
      fields: ['payment.transaction_id', 'payment.refund_id', 'payment.amount', 'payment.currency', 'reason'],
      meaning: 'A refund was recorded in the ledger (logged once per refund id): the audit line of a refund.',
    },
  ],

  productcatalog: [
    {
      message: 'catalog database ready',
      level: 'info',
      fields: ['db.kind', 'applied'],
      meaning: 'The database is open and migrated; applied lists the migrations run now.',
    },
  ],

  recommendation: [
    {
      message: 'recommendations ready',
      level: 'info',
      fields: ['recommendation.count'],
      meaning: 'The service is set up; recommendation.count is the most ids one answer holds.',
    },
    {
      message: 'product list loaded',
      level: 'debug',
      fields: ['cache.name', 'products'],
      meaning: 'A fresh copy of the catalog was loaded into the cache.',
    },
    {
      message: 'product catalog unavailable, serving a stale product list',
      level: 'warn',
      fields: ['err', 'cache.name', 'cache.age_ms'],
      meaning: 'The catalog failed; recommendations come from an expired copy.',
    },
    {
      message: 'product catalog unavailable and nothing cached',
      level: 'error',
      fields: ['err', 'cache.name'],
      meaning: 'The catalog failed before any copy was held; the call got UNAVAILABLE.',
    },
  ],

  shipping: [
    {
      message: 'order shipped',
      level: 'info',
      fields: ['shipping.tracking_id', 'shipping.item_count', 'shipping.country'],
      meaning: 'ShipOrder made up a tracking id.',
    },
  ],
});

// ---------------------------------------------------------------------------------------------
// Attributes of our own
// ---------------------------------------------------------------------------------------------

/** Span attributes and log fields Glasshouse defines (not from the semantic conventions). */
export const ATTRIBUTES: readonly AttributeEntry[] = deepFreeze([
  {
    name: SYNTHETIC_ATTRIBUTE,
    type: 'boolean',
    on: 'spans and logs',
    emittedBy: 'every service',
    meaning:
      'true on every span and log line caused by a request carrying synthetic_request=true baggage ' +
      '(the load generator), so simulated shoppers can be told from real ones.',
  },
  {
    name: 'app.audit.action',
    type: 'string',
    on: 'spans and logs',
    emittedBy: ['auth'],
    meaning: 'The dotted action of an audit record (flag.set, role.set, api_token.issue, …).',
  },
  {
    name: 'app.audit.target',
    type: 'string',
    on: 'logs',
    emittedBy: ['auth'],
    meaning: 'What an audited action was done to (a scenario, a product, customer:<id>).',
  },
  {
    name: 'app.auth.lockout_scope',
    type: 'string',
    on: 'spans and logs',
    emittedBy: ['auth'],
    meaning: 'What a lockout holds: account or address.',
  },
  {
    name: 'app.auth.outcome',
    type: 'string',
    on: 'spans',
    emittedBy: ['auth'],
    meaning: 'How a sign-in ended: success, failure or locked.',
  },
  {
    name: 'app.auth.retry_at',
    type: 'string',
    on: 'logs',
    emittedBy: ['auth'],
    meaning: 'When a lockout ends (ISO 8601).',
  },
  {
    name: 'app.auth.role',
    type: 'string',
    on: 'spans and logs',
    emittedBy: ['auth'],
    meaning: 'The role an account was given: customer, operator or admin.',
  },
  {
    name: 'app.auth.token_id',
    type: 'string',
    on: 'spans and logs',
    emittedBy: ['auth'],
    meaning: "A machine token's id (never the token).",
  },
  {
    name: 'app.auth.token_kind',
    type: 'string',
    on: 'spans',
    emittedBy: ['auth'],
    meaning: 'What a verified token was: session, api or bootstrap.',
  },
  {
    name: 'app.customer.id',
    type: 'string',
    on: 'spans and logs',
    emittedBy: ['auth'],
    meaning: "An account's id; never a metric label.",
  },
  {
    name: 'audit.actor',
    type: 'string',
    on: 'logs',
    emittedBy: ['frontend', 'checkout', 'orders', 'auth'],
    meaning: 'Who switched a failure flag (admin page, API or command), or refunded an order.',
  },
  {
    name: 'audit.client_address',
    type: 'string',
    on: 'logs',
    emittedBy: ['checkout'],
    meaning: 'From where an admin action came: the client address the frontend saw.',
  },
  {
    name: 'audit.old',
    type: 'string',
    on: 'logs',
    emittedBy: ['frontend', 'checkout'],
    meaning: "The flag before the switch, as JSON ({on, values}); the order's status before a refund.",
  },
  {
    name: 'audit.new',
    type: 'string',
    on: 'logs',
    emittedBy: ['frontend', 'checkout'],
    meaning: "The flag after the switch, as JSON ({on, values}); the order's status after a refund.",
  },
  {
    name: 'feature_flag.key',
    type: 'string',
    on: 'logs',
    emittedBy: 'every service',
    meaning: 'The failure scenario whose flag changed (OpenTelemetry feature-flag convention).',
  },
  {
    name: 'feature_flag.variant',
    type: 'string',
    on: 'logs',
    emittedBy: 'every service',
    meaning: 'The variant the flag is now in: on or off.',
  },
  {
    name: 'app.cart.items',
    type: 'int',
    on: 'spans',
    emittedBy: ['checkout'],
    meaning: "Lines in the cart being priced ('price items').",
  },
  {
    name: 'app.cart.items.count',
    type: 'int',
    on: 'spans',
    emittedBy: ['cart'],
    meaning: "Lines in the cart read ('load cart').",
  },
  {
    name: 'app.inventory.items.count',
    type: 'int',
    on: 'spans and logs',
    emittedBy: ['inventory'],
    meaning: 'Items in a reservation.',
  },
  {
    name: 'app.inventory.released',
    type: 'boolean',
    on: 'spans',
    emittedBy: ['inventory'],
    meaning: 'Whether ReleaseStock found a reservation to release.',
  },
  {
    name: 'app.inventory.returned',
    type: 'boolean',
    on: 'spans',
    emittedBy: ['inventory'],
    meaning: 'Whether ReturnStock put goods back (false for a repeated return id).',
  },
  {
    name: 'app.return.id',
    type: 'string',
    on: 'spans and logs',
    emittedBy: ['inventory'],
    meaning: "The return id of a refund's goods (checkout derives it from the order and refund ids).",
  },
  {
    name: 'app.refund.id',
    type: 'string',
    on: 'logs',
    emittedBy: ['checkout', 'orders'],
    meaning: 'The refund id an admin or script chose (unique within its order).',
  },
  {
    name: 'app.refund.amount',
    type: 'string',
    on: 'logs',
    emittedBy: ['checkout', 'orders'],
    meaning: 'Money a refund gave back, as a decimal string in the order currency.',
  },
  {
    name: 'app.refund.currency',
    type: 'string',
    on: 'logs',
    emittedBy: ['checkout'],
    meaning: 'The currency of a refund (the order currency).',
  },
  {
    name: 'app.refund.items',
    type: 'string',
    on: 'logs',
    emittedBy: ['checkout'],
    meaning: 'What a refund gave back, as quantity×product id pairs.',
  },
  {
    name: 'app.inventory.reservation.outcome',
    type: 'string',
    on: 'spans',
    emittedBy: ['inventory'],
    meaning: 'reserved, already reserved, unknown product, not enough stock.',
  },
  {
    name: 'app.loadgen.journey',
    type: 'string',
    on: 'spans and logs',
    emittedBy: ['loadgen'],
    meaning: 'The journey a simulated shopper is on (index, checkout, …).',
  },
  {
    name: 'app.loadgen.step',
    type: 'string',
    on: 'spans and logs',
    emittedBy: ['loadgen'],
    meaning: 'The step of the journey (home, placeOrder, …).',
  },
  {
    name: 'app.order.created',
    type: 'boolean',
    on: 'spans',
    emittedBy: ['orders'],
    meaning: 'Whether CreateOrder stored a new row (false: the order was already stored).',
  },
  {
    name: 'app.order.id',
    type: 'string',
    on: 'spans and logs',
    emittedBy: ['checkout', 'orders'],
    meaning: 'The order id (derived from the idempotency key); never a metric label.',
  },
  {
    name: 'app.order.items',
    type: 'int',
    on: 'logs',
    emittedBy: ['checkout'],
    meaning: 'Lines in a placed order.',
  },
  {
    name: 'app.order.items.count',
    type: 'int',
    on: 'spans and logs',
    emittedBy: ['orders'],
    meaning: 'Lines in an order being stored.',
  },
  {
    name: 'app.payment.amount',
    type: 'double',
    on: 'spans',
    emittedBy: ['checkout'],
    meaning: 'The order total being charged, in currency units.',
  },
  {
    name: 'app.payment.currency',
    type: 'string',
    on: 'spans',
    emittedBy: ['checkout'],
    meaning: 'The ISO 4217 code of the total.',
  },
  {
    name: 'app.payment.transaction_id',
    type: 'string',
    on: 'logs',
    emittedBy: ['checkout'],
    meaning: 'The charge a failed void was about.',
  },
  {
    name: 'app.product.id',
    type: 'string',
    on: 'spans',
    emittedBy: ['cart'],
    meaning: 'The product added to a cart.',
  },
  {
    name: 'app.product.quantity',
    type: 'int',
    on: 'spans',
    emittedBy: ['cart'],
    meaning: 'Units added to a cart.',
  },
  {
    name: 'app.reservation.id',
    type: 'string',
    on: 'spans and logs',
    emittedBy: ['inventory'],
    meaning: 'The stock reservation (checkout uses the order id).',
  },
  {
    name: 'app.reservation.age_s',
    type: 'int',
    on: 'logs',
    emittedBy: ['inventory'],
    meaning: 'How long an expired reservation stayed open, in seconds.',
  },
  {
    name: 'cache.age_ms',
    type: 'int',
    on: 'logs',
    emittedBy: ['recommendation'],
    meaning: 'Age of the stale copy served.',
  },
  {
    name: 'cache.hit',
    type: 'boolean',
    on: 'spans',
    emittedBy: ['cart', 'productcatalog', 'recommendation'],
    meaning: 'Whether the lookup was answered from memory (cart: whether the cart had items).',
  },
  {
    name: 'cache.name',
    type: 'string',
    on: 'spans and logs',
    emittedBy: ['productcatalog', 'recommendation'],
    meaning: 'products (catalog service), catalog (recommendation service).',
  },
  {
    name: 'cache.stale',
    type: 'boolean',
    on: 'spans',
    emittedBy: ['recommendation'],
    meaning: 'true when an expired copy was served because the catalog failed.',
  },
  {
    name: 'cart.store',
    type: 'string',
    on: 'logs',
    emittedBy: ['cart'],
    meaning: 'redis or memory.',
  },
  {
    name: 'db.kind',
    type: 'string',
    on: 'logs',
    emittedBy: ['productcatalog', 'orders', 'inventory', 'auth'],
    meaning: 'postgres (a server) or pglite (embedded).',
  },
  {
    name: 'email.html_bytes',
    type: 'int',
    on: 'logs',
    emittedBy: ['email'],
    meaning: 'Size of the rendered confirmation.',
  },
  {
    name: 'email.message_id',
    type: 'string',
    on: 'logs',
    emittedBy: ['email'],
    meaning: "The SMTP server's message id.",
  },
  {
    name: 'email.transport',
    type: 'string',
    on: 'spans and logs',
    emittedBy: ['email'],
    meaning: 'smtp or log.',
  },
  {
    name: 'order.id',
    type: 'string',
    on: 'logs',
    emittedBy: ['email'],
    meaning: 'The order a confirmation is about.',
  },
  {
    name: 'order.item_count',
    type: 'int',
    on: 'spans and logs',
    emittedBy: ['email'],
    meaning: 'Lines in the confirmed order.',
  },
  {
    name: 'payment.amount',
    type: 'double',
    on: 'spans and logs',
    emittedBy: ['payment'],
    meaning: 'Amount charged or voided, in currency units (a decimal string in logs).',
  },
  {
    name: 'payment.card_last_four',
    type: 'string',
    on: 'logs',
    emittedBy: ['payment'],
    meaning: 'The last four digits of the card; the number itself never leaves the service.',
  },
  {
    name: 'payment.currency',
    type: 'string',
    on: 'spans and logs',
    emittedBy: ['payment'],
    meaning: 'The ISO 4217 code charged.',
  },
  {
    name: 'payment.idempotent_replay',
    type: 'boolean',
    on: 'spans',
    emittedBy: ['payment'],
    meaning: 'true when a repeated idempotency key returned the first transaction.',
  },
  {
    name: 'payment.method',
    type: 'string',
    on: 'spans and logs',
    emittedBy: ['payment'],
    meaning: 'The card network (visa, mastercard, …).',
  },
  {
    name: 'payment.transaction_id',
    type: 'string',
    on: 'logs',
    emittedBy: ['payment'],
    meaning: 'The charge recorded or voided.',
  },
  {
    name: 'payment.refund_id',
    type: 'string',
    on: 'logs',
    emittedBy: ['payment'],
    meaning: 'The refund, chosen by the caller so a retry does not refund twice.',
  },
  {
    name: 'recommendation.count',
    type: 'int',
    on: 'logs',
    emittedBy: ['recommendation'],
    meaning: 'RECOMMENDATION_COUNT: the most ids one answer holds.',
  },
  {
    name: 'shipping.country',
    type: 'string',
    on: 'spans and logs',
    emittedBy: ['shipping'],
    meaning: 'The destination country.',
  },
  {
    name: 'shipping.item_count',
    type: 'int',
    on: 'spans and logs',
    emittedBy: ['shipping'],
    meaning: 'Units shipped.',
  },
  {
    name: 'shipping.tracking_id',
    type: 'string',
    on: 'logs',
    emittedBy: ['shipping'],
    meaning: 'The tracking id made up for a shipment.',
  },
  {
    name: 'smtp.response_code',
    type: 'int',
    on: 'logs',
    emittedBy: ['email'],
    meaning: "The SMTP server's reply code when it refused a confirmation.",
  },
]);

/** Semantic-convention attributes our code sets by hand; the conventions define their meaning. */
export const CONVENTION_ATTRIBUTES: readonly string[] = deepFreeze([
  'client.address',
  'db.collection.name',
  'db.namespace',
  'db.operation.name',
  'db.query.text',
  'db.system.name',
  'deployment.environment.name',
  'error.message',
  'error.type',
  'http.request.method',
  'http.response.status_code',
  'http.route',
  'rpc.grpc.status_code',
  'rpc.method',
  'rpc.service',
  'rpc.system',
  'server.address',
  'server.port',
  'service.instance.id',
  'service.name',
  'service.namespace',
  'service.version',
  'url.full',
  'url.path',
  'url.scheme',
  'url.template',
]);

// ---------------------------------------------------------------------------------------------
// docs/telemetry.md
// ---------------------------------------------------------------------------------------------

const GROUP_TITLES: Readonly<Partial<Record<TelemetryGroup, string>>> = {
  kit: 'Every service (the kit)',
  runtime: 'Every service (Node.js runtime, prom-client defaults)',
};

const code = (text: string): string => `\`${text}\``;

function emitters(emittedBy: Emitters | undefined, group: TelemetryGroup): string {
  if (emittedBy === undefined) return group;
  return typeof emittedBy === 'string' ? emittedBy : emittedBy.join(', ');
}

function sections<E>(
  registry: Registry<E>,
  header: readonly string[],
  row: (entry: E, group: TelemetryGroup) => readonly string[],
): string[] {
  return Object.entries(registry).flatMap(([group, entries]) => [
    '',
    `### ${GROUP_TITLES[group as TelemetryGroup] ?? group}`,
    '',
    ...markdownTable(
      header,
      entries.map((entry) => row(entry, group as TelemetryGroup)),
    ),
  ]);
}

const count = <E>(registry: Registry<E>): number =>
  Object.values(registry).reduce((sum, entries) => sum + entries.length, 0);

/** docs/telemetry.md, rendered from the registry; a test fails when the committed copy differs. */
export function renderTelemetryDoc(): string {
  const lines = [
    '# Telemetry registry',
    '',
    '<!-- Generated from packages/kit/src/telemetry/registry.ts by `npm run telemetry:doc`; do not edit. -->',
    '',
    `Every metric (${count(METRICS)}), span (${count(SPANS)}) and log event (${count(LOG_EVENTS)}) ` +
      `Glasshouse emits, and the ${ATTRIBUTES.length} span and log attributes of its own. ` +
      'The registry test fails when the code and this list disagree.',
    '',
    '- Every signal carries the resource `service.name`, `service.namespace` (glasshouse), ' +
      '`service.version`, `service.instance.id` and `deployment.environment.name`.',
    '- Every log line is one JSON object with `level`, `time`, `message`, `service.name`, and ' +
      '`trace_id`, `span_id`, `trace_flags` inside a span; `err` holds a serialised error. Card numbers, ' +
      'CVVs, passwords and tokens are removed and emails masked before a line is written.',
    '- Counters are exposed with `_total`; latency histograms carry trace exemplars (OpenMetrics).',
    `- Under synthetic traffic every span and log line also carries ${code(SYNTHETIC_ATTRIBUTE)}.`,
    '',
    '## Metrics',
    ...sections(METRICS, ['Metric', 'Type', 'Unit', 'Labels', 'Emitted by', 'Meaning'], (m, group) => [
      code(m.name),
      m.type,
      m.unit,
      Object.entries(m.labels)
        .map(([label, values]) => `${code(label)}: ${values}`)
        .join('<br>'),
      emitters(m.emittedBy, group),
      m.meaning,
    ]),
    '',
    '## Spans',
    ...sections(SPANS, ['Span', 'Kind', 'Key attributes', 'Emitted by', 'Meaning'], (s, group) => [
      code(s.name),
      s.kind,
      s.attributes.map(code).join(', '),
      emitters(s.emittedBy, group),
      s.meaning,
    ]),
    '',
    '## Log events',
    ...sections(LOG_EVENTS, ['Message', 'Level', 'Fields', 'Emitted by', 'Meaning'], (l, group) => [
      code(l.message),
      l.level,
      l.fields.map(code).join(', '),
      emitters(l.emittedBy, group),
      l.meaning,
    ]),
    '',
    '## Attributes of our own',
    '',
    ...markdownTable(
      ['Attribute', 'Type', 'On', 'Emitted by', 'Meaning'],
      ATTRIBUTES.map((a) => [code(a.name), a.type, a.on, emitters(a.emittedBy, 'kit'), a.meaning]),
    ),
    '',
    'Semantic-convention attributes also set by hand (the conventions define them): ' +
      `${CONVENTION_ATTRIBUTES.map(code).join(', ')}.`,
    '',
  ];
  return lines.join('\n');
}
