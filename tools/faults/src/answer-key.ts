/**
 * The answer key: for each failure scenario, where it shows — the PromQL that crosses its
 * threshold, the log event, the span, and the alerts that fire (with their runbooks). Rendered
 * to docs/faults.md (`npm run faults`); answer-key.spec.ts checks every name against the rules,
 * the runbooks and the telemetry registry, and e2e/faults-alerts.spec.ts proves the entries.
 */
import type { ScenarioName } from '@glasshouse/kit';
import { SERVICES } from '@glasshouse/kit';

export interface Signature {
  /** Crosses when `expr op threshold` holds in Prometheus. */
  readonly promql: {
    readonly expr: string;
    readonly op: '>' | '<';
    readonly threshold: number;
    readonly meaning: string;
  };
  /** A log event of the registry, written by `service`, with the fields that tell the story; none for a silent failure. */
  readonly log?: { readonly service: string; readonly message: string; readonly fields: readonly string[] };
  /** A span in the exported traces: its service, name and status, and attributes that single it out; none when spans are what is lost. */
  readonly span?: {
    readonly service: string;
    readonly name: string;
    readonly status: 'ERROR' | 'OK' | 'UNSET';
    readonly attributes?: Readonly<Record<string, string | number>>;
    readonly note?: string;
  };
  /** Alerts that may follow from it elsewhere (a caller's errors, an SLO burning): allowed, not required. */
  readonly follows?: readonly { readonly alert: string; readonly service: string }[];
  /** Why no alert fires, when none does. */
  readonly quiet?: string;
  /**
   * Alerts of deploy/prometheus/rules that fire while the scenario is on, with the service they
   * name and, where the alert is per item (a product), the labels that single out this one.
   */
  readonly alerts: readonly {
    readonly alert: string;
    readonly service: string;
    readonly labels?: Readonly<Record<string, string>>;
  }[];
  /** What a trainee should find, in a sentence. */
  readonly story: string;
}

const rpcErrorRatio = (service: string, method: string, codes: string) =>
  `sum(rate(rpc_server_call_duration_seconds_count{service="${service}", rpc_method="${method}", rpc_grpc_status_code=~"${codes}"}[1m]))` +
  ` / sum(rate(rpc_server_call_duration_seconds_count{service="${service}", rpc_method="${method}"}[1m]))`;
const rpcP99 = (service: string) =>
  `histogram_quantile(0.99, sum by (le) (rate(rpc_server_call_duration_seconds_bucket{service="${service}"}[1m])))`;

export const ANSWER_KEY: Readonly<Record<ScenarioName, Signature | { readonly pending: string }>> = {
  'payment-failure': {
    promql: {
      expr: rpcErrorRatio('payment', 'hipstershop.PaymentService/Charge', 'UNAVAILABLE'),
      op: '>',
      threshold: 0.05,
      meaning: 'share of the charges payment answers UNAVAILABLE',
    },
    log: { service: 'checkout', message: 'order not placed', fields: ['app.order.id', 'outcome', 'reason'] },
    span: {
      service: 'payment',
      name: 'grpc.hipstershop.PaymentService/Charge',
      status: 'ERROR',
      attributes: { 'rpc.grpc.status_code': 14 },
    },
    alerts: [{ alert: 'ErrorRatioHigh', service: 'payment' }],
    follows: [
      { alert: 'ErrorRatioHigh', service: 'checkout' },
      { alert: 'ErrorRatioHigh', service: 'frontend' },
      { alert: 'CheckoutAvailabilityBudgetBurn', service: 'checkout' },
      { alert: 'ShopAvailabilityBudgetBurn', service: 'frontend' },
      { alert: 'NoOrdersPlaced', service: 'checkout' },
    ],
    story: 'Checkouts fail at payment: its Charge calls end UNAVAILABLE, before any card is recorded.',
  },
  'payment-unreachable': {
    promql: {
      expr: rpcErrorRatio(
        'checkout',
        'hipstershop.CheckoutService/PlaceOrder',
        'UNAVAILABLE|DEADLINE_EXCEEDED|INTERNAL|UNKNOWN',
      ),
      op: '>',
      threshold: 0.05,
      meaning: 'share of the orders checkout fails',
    },
    log: { service: 'checkout', message: 'order not placed', fields: ['app.order.id', 'outcome', 'reason'] },
    span: {
      service: 'checkout',
      name: 'grpc.hipstershop.PaymentService/Charge',
      status: 'ERROR',
      attributes: { 'rpc.grpc.status_code': 4 },
      note: 'the client span of the charge ends DEADLINE_EXCEEDED after the deadline',
    },
    alerts: [{ alert: 'LatencyP99High', service: 'checkout' }],
    // Seen in the end-to-end run: payment's own calls last the hang; every order fails.
    follows: [
      { alert: 'LatencyP99High', service: 'payment' },
      { alert: 'ErrorRatioHigh', service: 'checkout' },
      { alert: 'LatencyP99High', service: 'frontend' },
      { alert: 'NoOrdersPlaced', service: 'checkout' },
      { alert: 'CheckoutAvailabilityBudgetBurn', service: 'checkout' },
      { alert: 'CheckoutLatencyBudgetBurn', service: 'checkout' },
    ],
    story: 'Every charge hangs until checkout gives up: orders fail slowly, payment itself logs nothing.',
  },
  'catalog-slow': {
    promql: {
      expr: rpcP99('productcatalog'),
      op: '>',
      threshold: 1,
      meaning: 'p99 of the catalog’s calls, seconds',
    },
    log: { service: 'frontend', message: 'request completed', fields: ['http.route', 'duration_s'] },
    span: {
      service: 'productcatalog',
      name: 'grpc.hipstershop.ProductCatalogService/GetProduct',
      status: 'UNSET',
    },
    alerts: [{ alert: 'LatencyP99High', service: 'productcatalog' }],
    story: 'Pages slow down everywhere; the traces show the time spent inside productcatalog, not in SQL.',
  },
  'cart-store-outage': {
    promql: {
      expr: 'sum(rate(cart_operations_total{result="unavailable"}[1m])) / sum(rate(cart_operations_total[1m]))',
      op: '>',
      threshold: 0.01,
      meaning: 'share of cart operations refused by the store',
    },
    log: { service: 'cart', message: 'cart storage failed', fields: ['err', 'error.type', 'cart.store'] },
    span: { service: 'cart', name: 'load cart', status: 'ERROR', attributes: { 'error.type': 'Error' } },
    alerts: [{ alert: 'CartStoreErrors', service: 'cart' }],
    follows: [
      { alert: 'ErrorRatioHigh', service: 'cart' },
      { alert: 'ErrorRatioHigh', service: 'frontend' },
      { alert: 'ShopAvailabilityBudgetBurn', service: 'frontend' },
      { alert: 'ProductPageLatencyBudgetBurn', service: 'frontend' },
      { alert: 'NoOrdersPlaced', service: 'checkout' },
    ],
    story: 'The cart cannot reach its store: every cart read and write is UNAVAILABLE.',
  },
  'currency-errors': {
    promql: {
      expr: rpcErrorRatio('currency', 'hipstershop.CurrencyService/Convert', 'INTERNAL'),
      op: '>',
      threshold: 0.05,
      meaning: 'share of conversions that fail',
    },
    log: { service: 'currency', message: 'call failed', fields: ['err', 'rpc.method'] },
    span: {
      service: 'currency',
      name: 'grpc.hipstershop.CurrencyService/Convert',
      status: 'ERROR',
      attributes: { 'rpc.grpc.status_code': 13 },
    },
    alerts: [{ alert: 'ErrorRatioHigh', service: 'currency' }],
    follows: [
      { alert: 'ErrorRatioHigh', service: 'frontend' },
      { alert: 'ShopAvailabilityBudgetBurn', service: 'frontend' },
      { alert: 'ProductPageLatencyBudgetBurn', service: 'frontend' },
    ],
    story: 'Prices fail to convert: currency answers INTERNAL to a share of its Convert calls.',
  },
  'recommendation-leak': {
    promql: {
      expr: 'max(nodejs_heap_size_used_bytes{service="recommendation"}) / max(nodejs_heap_size_limit_bytes{service="recommendation"})',
      op: '>',
      threshold: 0.9,
      meaning: 'heap used over the isolate’s limit',
    },
    span: {
      service: 'recommendation',
      name: 'grpc.hipstershop.RecommendationService/ListRecommendations',
      status: 'UNSET',
      note: 'nothing fails until the heap is full: the sign is the heap growing with every call',
    },
    alerts: [{ alert: 'HeapNearLimit', service: 'recommendation' }],
    story: 'Recommendation’s heap grows with every call and never shrinks, until it nears its limit.',
  },
  'ad-cpu-burn': {
    promql: {
      expr: 'max(nodejs_eventloop_lag_p99_seconds{service="ad"})',
      op: '>',
      threshold: 0.25,
      meaning: 'p99 event-loop delay of ad, seconds',
    },
    log: { service: 'frontend', message: 'request completed', fields: ['http.route', 'duration_s'] },
    span: {
      service: 'ad',
      name: 'grpc.hipstershop.AdService/GetAds',
      status: 'UNSET',
      note: 'long, with no child spans',
    },
    alerts: [{ alert: 'EventLoopLagHigh', service: 'ad' }],
    follows: [
      { alert: 'LatencyP99High', service: 'ad' },
      { alert: 'LatencyP99High', service: 'frontend' },
      { alert: 'ProductPageLatencyBudgetBurn', service: 'frontend' },
    ],
    story: 'The ad service burns CPU synchronously: its event loop stalls, and every call it serves waits.',
  },
  'email-backlog': {
    promql: { expr: rpcP99('email'), op: '>', threshold: 1, meaning: 'p99 of the email calls, seconds' },
    log: { service: 'email', message: 'confirmation rendered', fields: ['email', 'order.id'] },
    span: { service: 'email', name: 'grpc.hipstershop.EmailService/SendOrderConfirmation', status: 'UNSET' },
    alerts: [{ alert: 'LatencyP99High', service: 'email' }],
    follows: [
      { alert: 'LatencyP99High', service: 'checkout' },
      { alert: 'CheckoutLatencyBudgetBurn', service: 'checkout' },
    ],
    story: 'Confirmations take seconds each: checkout waits on email after the order is placed.',
  },
  'orders-db-slow': {
    promql: {
      expr:
        '(sum(rate(db_client_operation_duration_seconds_count{service="orders"}[1m])) - sum(rate(db_client_operation_duration_seconds_bucket{service="orders", le="0.5"}[1m])))' +
        ' / sum(rate(db_client_operation_duration_seconds_count{service="orders"}[1m]))',
      op: '>',
      threshold: 0.01,
      meaning: 'share of the orders database statements slower than 0.5 s',
    },
    log: { service: 'orders', message: 'order persisted', fields: ['app.order.id'] },
    span: {
      service: 'orders',
      name: 'SELECT',
      status: 'UNSET',
      note: 'a pg span of SELECT pg_sleep before the insert',
    },
    alerts: [{ alert: 'DatabaseSlowQueries', service: 'orders' }],
    follows: [
      { alert: 'LatencyP99High', service: 'checkout' },
      { alert: 'LatencyP99High', service: 'orders' },
      { alert: 'CheckoutLatencyBudgetBurn', service: 'checkout' },
    ],
    story: 'Saving an order waits on a slow statement in the orders database.',
  },
  'orders-fail-after-charge': {
    promql: {
      expr: 'sum(increase(checkout_compensations_total{action="void_charge", result="ok"}[1m]))',
      op: '>',
      threshold: 0,
      meaning: 'charges voided by checkout’s compensation',
    },
    log: { service: 'payment', message: 'charge voided', fields: ['payment.transaction_id', 'reason'] },
    span: {
      service: 'orders',
      name: 'grpc.glasshouse.orders.v1.OrderService/CreateOrder',
      status: 'ERROR',
      attributes: { 'rpc.grpc.status_code': 13 },
    },
    alerts: [{ alert: 'ErrorRatioHigh', service: 'orders' }],
    follows: [
      { alert: 'ErrorRatioHigh', service: 'checkout' },
      { alert: 'ErrorRatioHigh', service: 'frontend' },
      { alert: 'CheckoutAvailabilityBudgetBurn', service: 'checkout' },
      { alert: 'ShopAvailabilityBudgetBurn', service: 'frontend' },
      { alert: 'NoOrdersPlaced', service: 'checkout' },
    ],
    story:
      'The card is charged, then the order cannot be saved: checkout voids the charge and releases the stock.',
  },
  'product-drained': {
    promql: {
      expr: 'min(inventory_stock_level{product_id="OLJCESPC7Z"})',
      op: '<',
      threshold: 1,
      meaning: 'stock of the drained product',
    },
    log: { service: 'checkout', message: 'order not placed', fields: ['app.order.id', 'outcome', 'reason'] },
    span: {
      service: 'inventory',
      name: 'reserve stock',
      status: 'ERROR',
      attributes: { 'app.inventory.reservation.outcome': 'not enough stock' },
    },
    // Another product selling out for real is OutOfStock too, but not this scenario's.
    alerts: [{ alert: 'OutOfStock', service: 'inventory', labels: { product_id: 'OLJCESPC7Z' } }],
    follows: [{ alert: 'LowStock', service: 'inventory' }],
    story: 'One product is sold out: orders with it are refused at the stock reservation.',
  },
  'frontend-route-errors': {
    promql: {
      expr:
        'sum(rate(http_server_request_duration_seconds_count{service="frontend", http_route="/product/:id", http_response_status_code="500"}[1m]))' +
        ' / sum(rate(http_server_request_duration_seconds_count{service="frontend", http_route="/product/:id"}[1m]))',
      op: '>',
      threshold: 0.05,
      meaning: 'share of the product pages answered 500',
    },
    log: { service: 'frontend', message: 'page failed', fields: ['err', 'error.type'] },
    span: {
      service: 'frontend',
      name: 'GET /product/:id',
      status: 'ERROR',
      attributes: { 'http.response.status_code': 500 },
    },
    alerts: [{ alert: 'ErrorRatioHigh', service: 'frontend' }],
    follows: [
      { alert: 'ShopAvailabilityBudgetBurn', service: 'frontend' },
      { alert: 'ProductPageLatencyBudgetBurn', service: 'frontend' },
    ],
    story: 'One page of the shop fails with 500 while the services behind it are healthy.',
  },
  'traffic-surge': {
    promql: {
      expr: 'sum(loadgen_shoppers{service="loadgen"})',
      op: '>',
      threshold: 10,
      meaning: 'shoppers the load generator runs (its usual number times the multiplier)',
    },
    log: { service: 'frontend', message: 'request completed', fields: ['http.route', 'duration_s'] },
    span: { service: 'frontend', name: 'GET /', status: 'UNSET', note: 'many more of them, each as healthy' },
    alerts: [],
    quiet:
      'nothing is broken: the request rate climbs on every dashboard, and latency alerts follow only if the machine runs out of CPU',
    story: 'Five times the shoppers: request rates jump everywhere at once, with no error behind them.',
  },
  'trace-export-failure': {
    promql: {
      expr:
        'sum(rate(otel_sdk_exporter_span_exported_total{service="frontend", error_type!=""}[1m]))' +
        ' / sum(rate(otel_sdk_exporter_span_exported_total{service="frontend"}[1m]))',
      op: '>',
      threshold: 0.01,
      meaning: 'share of the frontend’s spans its exporter lost',
    },
    alerts: [{ alert: 'TraceExportFailing', service: 'frontend' }],
    follows: SERVICES.filter((s) => s.implemented && s.name !== 'frontend').map((s) => ({
      alert: 'TraceExportFailing',
      service: s.name,
    })),
    story: 'Traces go missing while metrics and logs carry on: the exporters count their lost spans.',
  },
  'login-brute-force': {
    promql: {
      expr: 'sum(rate(auth_login_attempts_total{service="auth", result=~"failure|locked"}[1m]))',
      op: '>',
      threshold: 0.1,
      meaning: 'sign-ins auth refused a second (wrong password, or while locked out)',
    },
    log: {
      service: 'auth',
      message: 'lockout started',
      fields: ['email', 'client.address', 'app.auth.lockout_scope'],
    },
    span: {
      service: 'auth',
      name: 'sign in',
      status: 'ERROR',
      attributes: { 'app.auth.outcome': 'failure' },
      note: 'then outcome locked, once the account or the address is locked out',
    },
    alerts: [{ alert: 'LoginBruteForce', service: 'auth' }],
    story:
      'Someone guesses passwords: refused sign-ins climb at auth, three accounts lock out, and login_attempts names them and the addresses the guesses came from.',
  },
};
