/** PromQL fragments the dashboards share, so that every panel counts errors and latency alike. */

/** Grafana's rate window: at least four scrapes, wider when zoomed out. */
export const RATE = '$__rate_interval';

/** `sum by (labels) (rate(metric{selector}[window]))`, or `sum(…)` when `by` is empty. */
export function sumRate(metric: string, selector: string, by: readonly string[] = [], window = RATE): string {
  return `${sumBy(by)}(rate(${metric}{${selector}}[${window}]))`;
}

function sumBy(by: readonly string[]): string {
  return by.length === 0 ? 'sum ' : `sum by (${by.join(', ')}) `;
}

/**
 * Failed ÷ all, per `by`, that reads 0 rather than nothing while no call has failed yet: the
 * failed side falls back to the total times zero for every series with traffic.
 */
export function errorRatio(
  metric: string,
  selector: string,
  failed: string,
  by: readonly string[],
  window = RATE,
): string {
  const all = sumRate(metric, selector, by, window);
  const join = selector === '' ? failed : `${selector}, ${failed}`;
  return `(${sumRate(metric, join, by, window)} or 0 * ${all}) / ${all}`;
}

/** The `q` quantile of a histogram per `by`, from its buckets. */
export function quantile(
  q: number,
  histogram: string,
  selector: string,
  by: readonly string[],
  window = RATE,
): string {
  return `histogram_quantile(${q}, ${sumRate(`${histogram}_bucket`, selector, ['le', ...by], window)})`;
}

/** The peer a gRPC client call went to, from its full method: hipstershop.CartService/GetCart → CartService. */
export function byPeer(expr: string): string {
  return `label_replace(${expr}, "peer", "$1", "rpc_method", "(?:.*\\\\.)?([^./]+)/.*")`;
}

/** Services of the shop, as the scrape labels them. */
export const SHOP = 'namespace="glasshouse"';

export const HTTP = 'http_server_request_duration_seconds';
export const RPC_SERVER = 'rpc_server_call_duration_seconds';
export const RPC_CLIENT = 'rpc_client_call_duration_seconds';
export const DB = 'db_client_operation_duration_seconds';

/** A gRPC call failed when it carries an error type (a status, or a business reason). */
export const RPC_FAILED = 'error_type!=""';
/** A page failed when the shop answered 5xx; a 4xx is the shopper's mistake. */
export const HTTP_FAILED = 'http_response_status_code=~"5.."';
