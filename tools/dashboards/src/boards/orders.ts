import * as common from '@grafana/grafana-foundation-sdk/common';
import type { Board } from '../board.js';
import { buildBoard } from '../board.js';
import { POSTGRES_ORDERS, PROMETHEUS } from '../datasources.js';
import { barGauge, lowerIsBetter, statPanel, tablePanel, timeSeries } from '../panels.js';
import { promNow, promQuery, sqlQuery } from '../queries.js';

/**
 * Share of PlaceOrder outcomes with `status` over the dashboard's range. Declines and
 * out-of-stock refusals are no rows in the orders database (only placed orders are stored), so
 * they come from checkout's orders_total counter.
 */
const outcomeShare = (status: string): string =>
  `(sum(increase(orders_total{status="${status}"}[$__range])) or 0 * sum(increase(orders_total[$__range]))) ` +
  `/ sum(increase(orders_total[$__range]))`;

/** A panel of order_stats_hourly's hours, a third of the row wide. */
const hourly = (title: string, description: string, sql: string) =>
  timeSeries({
    title,
    description,
    unit: 'short',
    width: 8,
    datasource: POSTGRES_ORDERS,
    targets: [sqlQuery(POSTGRES_ORDERS, sql, 'time_series')],
  });

/** A money column per hour, one series per currency (sums of different currencies mean nothing). */
const perCurrency = (column: 'revenue' | 'refunded'): string =>
  `SELECT hour AS time, currency_code AS metric, ${column}::float8 AS ${column}
           FROM orders.order_stats_hourly
          WHERE $__timeFilter(hour)
          ORDER BY hour`;

/** Order analytics over the orders database (read-only), with refusals from Prometheus. */
export function ordersBoard(): Board {
  return buildBoard({
    folder: 'Business',
    file: 'order-analytics.json',
    uid: 'glasshouse-order-analytics',
    title: 'Glasshouse / Order analytics',
    description:
      'Orders, revenue and refunds per hour (orders.order_stats_hourly), average basket, top products, and the ' +
      'share of checkouts declined or refused for stock. SQL runs as a read-only user.',
    tags: ['business', 'orders'],
    from: 'now-24h',
    sections: [
      {
        title: 'Orders',
        panels: [
          hourly(
            'Orders per hour',
            'Orders placed per UTC hour (refunded ones included: they were placed), from the order_stats_hourly view.',
            `SELECT hour AS time, sum(order_count)::bigint AS orders
                   FROM orders.order_stats_hourly
                  WHERE $__timeFilter(hour)
                  GROUP BY hour ORDER BY hour`,
          ).drawStyle(common.GraphDrawStyle.Bars),
          hourly(
            'Revenue per hour',
            'Gross revenue of the orders placed per UTC hour, refunded ones included, one series per currency (order_stats_hourly).',
            perCurrency('revenue'),
          ),
          hourly(
            'Refunded per hour',
            'Money refunded in each UTC hour (by when the refund was made), one series per currency (order_stats_hourly).',
            perCurrency('refunded'),
          ),
        ],
      },
      {
        title: 'Baskets',
        panels: [
          statPanel({
            title: 'Average basket value',
            description: 'Mean total of a placed order over the range, per currency.',
            unit: 'short',
            datasource: POSTGRES_ORDERS,
            targets: [
              sqlQuery(
                POSTGRES_ORDERS,
                `SELECT currency_code AS currency,
                        round(sum(revenue) / nullif(sum(order_count), 0), 2)::float8 AS average_order_value
                   FROM orders.order_stats_hourly
                  WHERE $__timeFilter(hour)
                  GROUP BY currency_code ORDER BY currency_code`,
              ),
            ],
          })
            // One value per row (currency), named by its currency.
            .reduceOptions(
              new common.ReduceDataOptionsBuilder()
                .values(true)
                .calcs(['lastNotNull'])
                .fields('/^average_order_value$/'),
            ),
          statPanel({
            title: 'Average items per order',
            description: 'Mean number of units in a placed order over the range.',
            unit: 'short',
            datasource: POSTGRES_ORDERS,
            targets: [
              sqlQuery(
                POSTGRES_ORDERS,
                `SELECT round(avg(units), 2)::float8 AS items_per_order
                   FROM (SELECT o.order_id, sum(i.quantity) AS units
                           FROM orders.orders o JOIN orders.order_items i ON i.order_id = o.order_id
                          WHERE $__timeFilter(o.created_at) AND o.status = 'placed'
                          GROUP BY o.order_id) AS baskets`,
              ),
            ],
          }),
          statPanel({
            title: 'Payment declined share',
            description:
              'Share of checkouts refused because the card or amount was declined, over the range ' +
              '(checkout’s orders_total in Prometheus: declines are not stored as orders).',
            unit: 'percentunit',
            datasource: PROMETHEUS,
            targets: [promNow(outcomeShare('payment_declined'))],
          }).thresholds(lowerIsBetter(0.05, 0.15)),
          statPanel({
            title: 'Out-of-stock share',
            description:
              'Share of checkouts refused because an item was out of stock, over the range ' +
              '(checkout’s orders_total in Prometheus).',
            unit: 'percentunit',
            datasource: PROMETHEUS,
            targets: [promNow(outcomeShare('out_of_stock'))],
          }).thresholds(lowerIsBetter(0.02, 0.1)),
        ],
      },
      {
        title: 'Products',
        panels: [
          barGauge({
            title: 'Top products by units sold',
            description: 'The ten products with the most units in placed orders over the range.',
            unit: 'short',
            datasource: POSTGRES_ORDERS,
            targets: [
              sqlQuery(
                POSTGRES_ORDERS,
                `SELECT i.product_id, sum(i.quantity)::bigint AS units
                   FROM orders.order_items i JOIN orders.orders o ON o.order_id = i.order_id
                  WHERE $__timeFilter(o.created_at) AND o.status = 'placed'
                  GROUP BY i.product_id ORDER BY units DESC LIMIT 10`,
              ),
            ],
          }),
          tablePanel({
            title: 'Top products by revenue',
            description: 'The ten products earning the most in placed orders over the range, per currency.',
            unit: 'short',
            datasource: POSTGRES_ORDERS,
            targets: [
              sqlQuery(
                POSTGRES_ORDERS,
                `SELECT i.product_id, o.currency_code AS currency, count(DISTINCT o.order_id) AS orders,
                        sum(i.quantity)::bigint AS units,
                        sum(i.quantity * (i.cost_units + i.cost_nanos / 1e9))::float8 AS revenue
                   FROM orders.order_items i JOIN orders.orders o ON o.order_id = i.order_id
                  WHERE $__timeFilter(o.created_at) AND o.status = 'placed'
                  GROUP BY i.product_id, o.currency_code ORDER BY revenue DESC LIMIT 10`,
              ),
            ],
          }),
          timeSeries({
            title: 'Checkout outcomes per minute',
            description: 'Every PlaceOrder outcome per minute, refusals included (checkout’s orders_total).',
            unit: 'short',
            datasource: PROMETHEUS,
            targets: [promQuery('sum by (status) (rate(orders_total[$__rate_interval])) * 60', '{{status}}')],
            width: 24,
            stacked: true,
          }),
        ],
      },
    ],
  });
}
