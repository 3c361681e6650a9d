import type { SeriesInput } from './model.js';

/** The shop's service-level objectives, declared once: the rules and their tests come from here. */

export type SloName =
  'shop-availability' | 'checkout-availability' | 'checkout-latency' | 'product-page-latency';

export interface Slo {
  readonly name: SloName;
  /** The service whose metrics measure it (the `service` label of its rules). */
  readonly service: string;
  /** The share of good events aimed for over 30 days, e.g. 0.999. */
  readonly objective: number;
  /** The alert raised when its error budget burns too fast. */
  readonly alert: string;
  /** What a good event is, in the shopper's words. */
  readonly promise: string;
  /** PromQL: the per-second rate of bad events over `window`. */
  bad(window: string): string;
  /** PromQL: the per-second rate of all events over `window`. */
  total(window: string): string;
  /** Input series for a test: `good` and `bad` events a minute, steady from time zero. */
  series(goodPerMinute: number, badPerMinute: number): SeriesInput[];
}

/** The error-ratio windows recorded for every SLO (the shared contract's names end in these). */
export const SLO_WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d', '30d'] as const;
export type SloWindow = (typeof SLO_WINDOWS)[number];

const PLACE_ORDER = 'rpc_method="hipstershop.CheckoutService/PlaceOrder"';
/** gRPC codes that are the server's fault; a refused card or an empty stock are answered otherwise. */
const SERVER_FAULT_CODES = 'UNKNOWN|DEADLINE_EXCEEDED|UNIMPLEMENTED|INTERNAL|UNAVAILABLE|DATA_LOSS';
const PRODUCT_PAGE = 'service="frontend", http_request_method="GET", http_route="/product/:id"';
const TARGET = 'namespace="glasshouse", job="{service}", instance="127.0.0.1:1"';

const counter = (perMinute: number): string => (perMinute === 0 ? '0x600' : `0+${perMinute}x600`);
const target = (service: string): string => TARGET.replace('{service}', service);

export const SLOS: readonly Slo[] = Object.freeze([
  {
    name: 'shop-availability',
    service: 'frontend',
    objective: 0.999,
    alert: 'ShopAvailabilityBudgetBurn',
    promise: 'a page request is not answered with a 5xx',
    bad: (w) =>
      `sum(rate(http_server_request_duration_seconds_count{service="frontend", http_response_status_code=~"5.."}[${w}]))`,
    total: (w) => `sum(rate(http_server_request_duration_seconds_count{service="frontend"}[${w}]))`,
    series: (good, bad) => [
      {
        series: `http_server_request_duration_seconds_count{service="frontend", ${target('frontend')}, http_request_method="GET", http_route="/", http_response_status_code="200"}`,
        values: counter(good),
      },
      {
        series: `http_server_request_duration_seconds_count{service="frontend", ${target('frontend')}, http_request_method="GET", http_route="/", http_response_status_code="503", error_type="503"}`,
        values: counter(bad),
      },
    ],
  },
  {
    name: 'checkout-availability',
    service: 'checkout',
    objective: 0.995,
    alert: 'CheckoutAvailabilityBudgetBurn',
    promise: 'PlaceOrder does not fail for a reason of ours (a declined card or an empty stock is not ours)',
    bad: (w) =>
      `sum(rate(rpc_server_call_duration_seconds_count{service="checkout", ${PLACE_ORDER}, rpc_grpc_status_code=~"${SERVER_FAULT_CODES}"}[${w}]))`,
    total: (w) =>
      `sum(rate(rpc_server_call_duration_seconds_count{service="checkout", ${PLACE_ORDER}}[${w}]))`,
    series: (good, bad) => [
      {
        series: `rpc_server_call_duration_seconds_count{service="checkout", ${target('checkout')}, rpc_system="grpc", ${PLACE_ORDER}, rpc_grpc_status_code="OK"}`,
        values: counter(good - Math.floor(good / 10)),
      },
      {
        // A declined card is a failed call that is not ours: a tenth of the good events are those.
        series: `rpc_server_call_duration_seconds_count{service="checkout", ${target('checkout')}, rpc_system="grpc", ${PLACE_ORDER}, rpc_grpc_status_code="INVALID_ARGUMENT", error_type="payment_declined"}`,
        values: counter(Math.floor(good / 10)),
      },
      {
        series: `rpc_server_call_duration_seconds_count{service="checkout", ${target('checkout')}, rpc_system="grpc", ${PLACE_ORDER}, rpc_grpc_status_code="UNAVAILABLE", error_type="UNAVAILABLE"}`,
        values: counter(bad),
      },
    ],
  },
  {
    name: 'checkout-latency',
    service: 'checkout',
    objective: 0.99,
    alert: 'CheckoutLatencyBudgetBurn',
    promise: 'PlaceOrder answers within 1 s',
    // Prometheus 2 keeps the exposed `le="1"`; Prometheus 3 normalises it to "1.0".
    bad: (w) =>
      `(sum(rate(rpc_server_call_duration_seconds_count{service="checkout", ${PLACE_ORDER}}[${w}])) - sum(rate(rpc_server_call_duration_seconds_bucket{service="checkout", ${PLACE_ORDER}, le=~"1|1.0"}[${w}])))`,
    total: (w) =>
      `sum(rate(rpc_server_call_duration_seconds_count{service="checkout", ${PLACE_ORDER}}[${w}]))`,
    series: (good, bad) => {
      const labels = `service="checkout", ${target('checkout')}, rpc_system="grpc", ${PLACE_ORDER}, rpc_grpc_status_code="OK"`;
      return [
        { series: `rpc_server_call_duration_seconds_count{${labels}}`, values: counter(good + bad) },
        { series: `rpc_server_call_duration_seconds_bucket{${labels}, le="1"}`, values: counter(good) },
      ];
    },
  },
  {
    name: 'product-page-latency',
    service: 'frontend',
    objective: 0.99,
    alert: 'ProductPageLatencyBudgetBurn',
    promise: 'a product page is served within 0.5 s',
    bad: (w) =>
      `(sum(rate(http_server_request_duration_seconds_count{${PRODUCT_PAGE}}[${w}])) - sum(rate(http_server_request_duration_seconds_bucket{${PRODUCT_PAGE}, le="0.5"}[${w}])))`,
    total: (w) => `sum(rate(http_server_request_duration_seconds_count{${PRODUCT_PAGE}}[${w}]))`,
    series: (good, bad) => {
      const labels = `${PRODUCT_PAGE}, ${target('frontend')}, http_response_status_code="200"`;
      return [
        { series: `http_server_request_duration_seconds_count{${labels}}`, values: counter(good + bad) },
        { series: `http_server_request_duration_seconds_bucket{${labels}, le="0.5"}`, values: counter(good) },
      ];
    },
  },
]);
