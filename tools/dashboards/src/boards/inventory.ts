import type { Board } from '../board.js';
import { buildBoard } from '../board.js';
import { POSTGRES_INVENTORY, PROMETHEUS } from '../datasources.js';
import { barGauge, lowerIsBetter, statPanel, tablePanel, timeSeries } from '../panels.js';
import { promNow, promQuery, sqlQuery } from '../queries.js';

/** Stock over the inventory database (read-only) and the inventory's gauges. */
export function inventoryBoard(): Board {
  return buildBoard({
    folder: 'Business',
    file: 'inventory.json',
    uid: 'glasshouse-inventory',
    title: 'Glasshouse / Inventory',
    description:
      'Stock per product, products at or below their threshold (inventory.low_stock_products), ' +
      'reservations held, and the supplier’s restocks.',
    tags: ['business', 'inventory'],
    sections: [
      {
        title: 'Stock',
        panels: [
          statPanel({
            title: 'Low-stock products',
            description: 'Products at or below their low-stock threshold now (inventory_low_stock_products).',
            unit: 'short',
            targets: [promQuery('max(inventory_low_stock_products)')],
            width: 6,
          }).thresholds(lowerIsBetter(1, 5)),
          statPanel({
            title: 'Open reservations',
            description: 'Stock reservations taken by checkouts and not yet released.',
            unit: 'short',
            datasource: POSTGRES_INVENTORY,
            targets: [
              sqlQuery(
                POSTGRES_INVENTORY,
                'SELECT count(*) AS open_reservations FROM inventory.reservations WHERE released_at IS NULL',
              ),
            ],
            width: 6,
          }),
          statPanel({
            title: 'Restocks',
            description:
              'Products the supplier job brought back up over the range (inventory_restocks_total).',
            unit: 'short',
            targets: [promNow('sum(increase(inventory_restocks_total[$__range]))')],
            width: 6,
          }),
          statPanel({
            title: 'Units in stock',
            description: 'Units in stock over every product.',
            unit: 'short',
            datasource: POSTGRES_INVENTORY,
            targets: [
              sqlQuery(POSTGRES_INVENTORY, 'SELECT sum(quantity)::bigint AS units FROM inventory.stock'),
            ],
            width: 6,
          }),
          barGauge({
            title: 'Stock per product',
            description: 'Units in stock of every product, lowest first, from the stock table.',
            unit: 'short',
            datasource: POSTGRES_INVENTORY,
            targets: [
              sqlQuery(
                POSTGRES_INVENTORY,
                'SELECT product_name, quantity FROM inventory.stock ORDER BY quantity, product_name',
              ),
            ],
            height: 14,
          }),
          tablePanel({
            title: 'Low-stock products',
            description:
              'Products at or below their threshold, from the low_stock_products view, lowest first.',
            unit: 'short',
            datasource: POSTGRES_INVENTORY,
            targets: [
              sqlQuery(
                POSTGRES_INVENTORY,
                `SELECT product_id, product_name, quantity, low_stock_threshold, updated_at
                   FROM inventory.low_stock_products ORDER BY quantity, product_name`,
              ),
            ],
            height: 14,
          }).overrideByName('updated_at', [{ id: 'unit', value: 'dateTimeAsIso' }]),
        ],
      },
      {
        title: 'Over time',
        panels: [
          timeSeries({
            title: 'Stock level by product',
            description: 'Units in stock per product over time (inventory_stock_level).',
            unit: 'short',
            datasource: PROMETHEUS,
            targets: [promQuery('max by (product_name) (inventory_stock_level)', '{{product_name}}')],
            width: 12,
          }),
          timeSeries({
            title: 'Restocks per hour',
            description: 'Products restocked by the supplier job, per hour.',
            unit: 'short',
            datasource: PROMETHEUS,
            targets: [promQuery('sum(rate(inventory_restocks_total[$__rate_interval])) * 3600', 'restocked')],
            width: 6,
          }),
          timeSeries({
            title: 'Reservations per hour',
            description: 'Stock reservations taken per hour by checkouts, from the reservations table.',
            unit: 'short',
            datasource: POSTGRES_INVENTORY,
            targets: [
              sqlQuery(
                POSTGRES_INVENTORY,
                `SELECT date_trunc('hour', created_at) AS time, count(*) AS reservations
                   FROM inventory.reservations
                  WHERE $__timeFilter(created_at)
                  GROUP BY 1 ORDER BY 1`,
                'time_series',
              ),
            ],
            width: 6,
          }),
        ],
      },
    ],
  });
}
