import { growing, histogram, series, steady } from './fixtures.js';
import type { TestedAlert } from './model.js';

/** Cause-side alerts on what the shop does: payments, stock, orders, compensations, its stores. */

const COMPENSATIONS = 'checkout_compensations_total';
const DB = 'db_client_operation_duration_seconds';

const compensationFailed = (
  action: string,
  name: string,
  severity: 'page' | 'ticket',
  meaning: string,
): TestedAlert => ({
  alert: name,
  expr: `sum by (service) (increase(${COMPENSATIONS}{action="${action}", result="failed"}[10m])) > 0`,
  severity,
  summary: `checkout could not undo a step: ${meaning}`,
  description: `{{ $value | printf "%.0f" }} ${action} compensation(s) failed in the last 10 minutes: ${meaning}. The log line "${action === 'void_charge' ? 'charge could not be voided' : 'stock reservation could not be released'}" names the order.`,
  cases: {
    interval: '15s',
    fires: {
      input: [series(COMPENSATIONS, 'checkout', '0x4 1x40', { action, result: 'failed' })],
      at: '2m',
      alerts: [{ labels: { service: 'checkout' }, value: 1 }],
    },
    nearMiss: {
      input: [series(COMPENSATIONS, 'checkout', growing(1, 40), { action, result: 'ok' })],
      at: '2m',
    },
  },
});

export const SHOP_ALERTS: readonly TestedAlert[] = [
  {
    alert: 'PaymentDeclineRatioHigh',
    expr: 'sum by (service) (rate(payments_total{status="failed"}[5m])) / sum by (service) (rate(payments_total[5m])) > 0.2',
    for: '2m',
    severity: 'ticket',
    summary: 'payment refuses {{ $value | humanizePercentage }} of the cards charged',
    description:
      'Over 5 minutes {{ $value | humanizePercentage }} of charges were declined (more than 20 % for 2 minutes). Shoppers retype cards or leave; a card-testing attack or a broken card form looks like this.',
    cases: {
      interval: '15s',
      fires: {
        input: [
          series('payments_total', 'payment', growing(6), { status: 'success', method: 'visa' }),
          series('payments_total', 'payment', growing(4), { status: 'failed', method: 'unknown' }),
        ],
        pendingAt: '90s',
        at: '3m',
        alerts: [{ labels: { service: 'payment' }, value: 0.4 }],
      },
      nearMiss: {
        input: [
          series('payments_total', 'payment', growing(8), { status: 'success', method: 'visa' }),
          series('payments_total', 'payment', growing(2), { status: 'failed', method: 'unknown' }),
        ],
        at: '10m',
      },
    },
  },
  {
    alert: 'LoginBruteForce',
    // Refusals while locked out count: an attack that goes on after the lockout is still one.
    // 0.1 a second: the frontend lets one address try 10 sign-ins a minute (0.17 a second), so
    // an attack from a single address still crosses it. Shoppers mistyping stay far below.
    expr: 'sum by (service) (rate(auth_login_attempts_total{result=~"failure|locked"}[5m])) > 0.1',
    for: '2m',
    severity: 'page',
    summary: '{{ $value | printf "%.1f" }} failed sign-ins a second: someone is guessing passwords',
    description:
      'Over 5 minutes the shop refused {{ $value | printf "%.1f" }} sign-ins a second (wrong password, or refused while locked out), for 2 minutes: far more than shoppers mistyping. login_attempts names the accounts and addresses.',
    cases: {
      interval: '15s',
      fires: {
        input: [
          series('auth_login_attempts_total', 'auth', growing(1), { result: 'success' }),
          series('auth_login_attempts_total', 'auth', growing(12), { result: 'failure' }),
          series('auth_login_attempts_total', 'auth', growing(6), { result: 'locked' }),
        ],
        pendingAt: '2m',
        at: '5m',
        alerts: [{ labels: { service: 'auth' }, value: 1.2 }],
      },
      nearMiss: {
        input: [
          series('auth_login_attempts_total', 'auth', growing(20), { result: 'success' }),
          series('auth_login_attempts_total', 'auth', growing(1), { result: 'failure' }),
          series('auth_login_attempts_total', 'auth', growing(0), { result: 'locked' }),
        ],
        at: '10m',
      },
    },
  },
  {
    alert: 'LowStock',
    expr: 'max by (service) (inventory_low_stock_products) > 0',
    for: '30s',
    severity: 'ticket',
    summary: '{{ $value }} products are at or below their low-stock threshold',
    description:
      '{{ $value }} products have been at or below their low-stock threshold for 30 seconds (seed 002). The supplier job restocks them; inventory.low_stock_products lists them.',
    cases: {
      interval: '15s',
      fires: {
        input: [series('inventory_low_stock_products', 'inventory', steady(2))],
        pendingAt: '15s',
        at: '45s',
        alerts: [{ labels: { service: 'inventory' }, value: 2 }],
      },
      nearMiss: { input: [series('inventory_low_stock_products', 'inventory', '0x4 1 0x20')], at: '3m' },
    },
  },
  {
    alert: 'OutOfStock',
    expr: 'max by (service, product_id, product_name) (inventory_stock_level) == 0',
    for: '1m',
    severity: 'ticket',
    summary: '{{ $labels.product_name }} is out of stock',
    description:
      '{{ $labels.product_name }} ({{ $labels.product_id }}) has had {{ $value }} units for a minute: every checkout with it is refused as out of stock.',
    cases: {
      interval: '15s',
      fires: {
        input: [
          series('inventory_stock_level', 'inventory', steady(0), {
            product_id: 'OLJCESPC7Z',
            product_name: 'Glass Terrarium Kit',
          }),
          series('inventory_stock_level', 'inventory', steady(4), {
            product_id: '66VCHSJNUP',
            product_name: 'Brass Watering Can',
          }),
        ],
        pendingAt: '45s',
        at: '90s',
        alerts: [
          {
            labels: { service: 'inventory', product_id: 'OLJCESPC7Z', product_name: 'Glass Terrarium Kit' },
            value: 0,
          },
        ],
      },
      nearMiss: {
        input: [
          series('inventory_stock_level', 'inventory', steady(1), {
            product_id: 'OLJCESPC7Z',
            product_name: 'Glass Terrarium Kit',
          }),
        ],
        at: '5m',
      },
    },
  },
  {
    alert: 'NoOrdersPlaced',
    expr:
      '(sum(rate(orders_total{status="placed"}[10m])) or vector(0)) == 0\n' +
      'and\nsum(rate(http_server_request_duration_seconds_count{service="frontend", http_route="/cart/checkout"}[10m])) > 0',
    for: '1m',
    severity: 'page',
    labels: { service: 'checkout' },
    summary: 'shoppers are checking out but no order was placed for 10 minutes',
    description:
      'Shoppers submitted the checkout form in the last 10 minutes, and the shop placed {{ $value }} orders: every attempt failed or was refused.',
    cases: {
      interval: '15s',
      fires: {
        input: [
          series('orders_total', 'checkout', '1+1x4 5x80', { status: 'placed' }),
          series('http_server_request_duration_seconds_count', 'frontend', growing(2), {
            http_route: '/cart/checkout',
            http_request_method: 'POST',
            http_response_status_code: '503',
          }),
        ],
        pendingAt: '11m',
        at: '12m',
        alerts: [{ labels: {}, value: 0 }],
      },
      nearMiss: {
        input: [
          series('orders_total', 'checkout', '1+1x4 5x30 6x50', { status: 'placed' }),
          series('http_server_request_duration_seconds_count', 'frontend', growing(2), {
            http_route: '/cart/checkout',
            http_request_method: 'POST',
            http_response_status_code: '303',
          }),
        ],
        at: '15m',
      },
    },
  },
  compensationFailed(
    'void_charge',
    'ChargeNotVoided',
    'page',
    'a shopper was charged for an order the shop did not place',
  ),
  compensationFailed(
    'release_stock',
    'StockNotReleased',
    'ticket',
    'stock stays held for an order that was not placed',
  ),
  {
    alert: 'ReservationsExpired',
    expr: 'sum by (service) (increase(inventory_reservations_expired_total[15m])) > 0',
    severity: 'ticket',
    summary: '{{ $value | printf "%.0f" }} stock reservations expired in 15 minutes',
    description:
      'Inventory gave back {{ $value | printf "%.0f" }} reservations in the last 15 minutes that no checkout committed or released within INVENTORY_RESERVATION_TTL_MS: each is a checkout that died between reserving stock and placing the order (a crash, a kill, a lost connection).',
    cases: {
      interval: '15s',
      fires: {
        input: [series('inventory_reservations_expired_total', 'inventory', '0x20 1x60')],
        at: '6m',
        alerts: [{ labels: { service: 'inventory' }, value: 1 }],
      },
      nearMiss: {
        input: [series('inventory_reservations_expired_total', 'inventory', '0x20 1x100')],
        at: '25m',
      },
    },
  },
  {
    alert: 'RefundsFailing',
    expr: 'sum by (service) (increase(checkout_refunds_total{result="failed"}[15m])) > 0',
    severity: 'ticket',
    summary: '{{ $value | printf "%.0f" }} refunds stopped part way in 15 minutes',
    description:
      'RefundOrder failed {{ $value | printf "%.0f" }} time(s) in the last 15 minutes because payment, orders or inventory did not answer: the money may be back on the card while the order does not say so, or the goods not back in stock. The admin was told to retry with the same refund id, which does only the steps left undone.',
    cases: {
      interval: '15s',
      fires: {
        input: [series('checkout_refunds_total', 'checkout', '0x20 1x60', { result: 'failed' })],
        at: '6m',
        alerts: [{ labels: { service: 'checkout' }, value: 1 }],
      },
      nearMiss: {
        input: [
          series('checkout_refunds_total', 'checkout', growing(1, 80), { result: 'refunded' }),
          series('checkout_refunds_total', 'checkout', growing(1, 80), { result: 'refused' }),
        ],
        at: '15m',
      },
    },
  },
  {
    alert: 'CartStoreErrors',
    expr: 'sum by (service) (rate(cart_operations_total{result="unavailable"}[5m])) / sum by (service) (rate(cart_operations_total[5m])) > 0.01',
    for: '2m',
    severity: 'ticket',
    summary: 'the cart store fails {{ $value | humanizePercentage }} of cart operations',
    description:
      '{{ $value | humanizePercentage }} of cart operations over 5 minutes failed because the cart store (Redis) did not answer; shoppers lose items or cannot check out.',
    cases: {
      interval: '15s',
      fires: {
        input: [
          series('cart_operations_total', 'cart', growing(95), { operation: 'get_cart', result: 'ok' }),
          series('cart_operations_total', 'cart', growing(5), {
            operation: 'get_cart',
            result: 'unavailable',
          }),
        ],
        pendingAt: '90s',
        at: '3m',
        alerts: [{ labels: { service: 'cart' }, value: 0.05 }],
      },
      nearMiss: {
        input: [
          series('cart_operations_total', 'cart', growing(100), { operation: 'get_cart', result: 'ok' }),
          series('cart_operations_total', 'cart', growing(5), {
            operation: 'add_item',
            result: 'invalid_argument',
          }),
        ],
        at: '10m',
      },
    },
  },
  {
    alert: 'DatabasePoolSaturated',
    // A pg pool queues a query only when every connection is in use and it may open no more.
    expr: 'max by (service) (db_client_connection_pending_requests) > 0',
    for: '2m',
    severity: 'ticket',
    summary: 'the database pool of {{ $labels.service }} is full, {{ $value }} queries waiting',
    description:
      'Every connection of the PostgreSQL pool of {{ $labels.service }} has been in use for 2 minutes, with {{ $value }} queries waiting for one: calls queue behind the database and time out.',
    cases: {
      interval: '15s',
      fires: {
        input: [
          series('db_client_connection_count', 'orders', steady(10), {
            db_client_connection_pool_name: 'orders',
            db_client_connection_state: 'used',
          }),
          series('db_client_connection_count', 'orders', steady(0), {
            db_client_connection_pool_name: 'orders',
            db_client_connection_state: 'idle',
          }),
          series('db_client_connection_max', 'orders', steady(10), {
            db_client_connection_pool_name: 'orders',
          }),
          series('db_client_connection_pending_requests', 'orders', steady(3), {
            db_client_connection_pool_name: 'orders',
          }),
        ],
        pendingAt: '90s',
        at: '3m',
        alerts: [{ labels: { service: 'orders' }, value: 3 }],
      },
      nearMiss: {
        input: [
          series('db_client_connection_count', 'orders', steady(9), {
            db_client_connection_pool_name: 'orders',
            db_client_connection_state: 'used',
          }),
          series('db_client_connection_max', 'orders', steady(10), {
            db_client_connection_pool_name: 'orders',
          }),
          series('db_client_connection_pending_requests', 'orders', steady(0), {
            db_client_connection_pool_name: 'orders',
          }),
        ],
        at: '10m',
      },
    },
  },
  {
    alert: 'DatabaseSlowQueries',
    expr: `(sum by (service) (rate(${DB}_count[5m])) - sum by (service) (rate(${DB}_bucket{le="0.5"}[5m]))) / sum by (service) (rate(${DB}_count[5m])) > 0.01`,
    for: '5m',
    severity: 'ticket',
    summary:
      '{{ $value | humanizePercentage }} of the SQL statements of {{ $labels.service }} take over 0.5 s',
    description:
      '{{ $value | humanizePercentage }} of the statements {{ $labels.service }} ran over 5 minutes were slower than 0.5 s (more than 1 % for 5 minutes). Slow statements hold connections and slow every call behind them.',
    cases: {
      interval: '15s',
      fires: {
        input: histogram(
          DB,
          'orders',
          { '0.5': 90, '1': 100 },
          { db_operation_name: 'SELECT', db_collection_name: 'orders.orders' },
        ),
        pendingAt: '4m',
        at: '7m',
        alerts: [{ labels: { service: 'orders' }, value: 0.1 }],
      },
      nearMiss: {
        input: histogram(
          DB,
          'orders',
          { '0.5': 100, '1': 100 },
          { db_operation_name: 'SELECT', db_collection_name: 'orders.orders' },
        ),
        at: '10m',
      },
    },
  },
];
