import type { Migration } from '@glasshouse/kit';

/** The order service's versioned migrations, in the given schema (its own; nobody else reads it). */
export function orderMigrations(schema: string): Migration[] {
  return [
    {
      version: 1,
      name: 'create orders and order_items',
      sql: `
        CREATE TABLE ${schema}.orders (
          order_id text PRIMARY KEY,
          user_id text NOT NULL,
          email_masked text NOT NULL DEFAULT '',
          status text NOT NULL DEFAULT 'placed' CHECK (status IN ('placed', 'cancelled')),
          currency_code text NOT NULL CHECK (currency_code ~ '^[A-Z]{3}$'),
          total_units bigint NOT NULL,
          total_nanos integer NOT NULL CHECK (total_nanos BETWEEN -999999999 AND 999999999),
          shipping_cost_units bigint NOT NULL DEFAULT 0,
          shipping_cost_nanos integer NOT NULL DEFAULT 0
            CHECK (shipping_cost_nanos BETWEEN -999999999 AND 999999999),
          shipping_street_address text NOT NULL DEFAULT '',
          shipping_city text NOT NULL DEFAULT '',
          shipping_state text NOT NULL DEFAULT '',
          shipping_country text NOT NULL DEFAULT '',
          shipping_zip_code integer NOT NULL DEFAULT 0,
          shipping_tracking_id text NOT NULL DEFAULT '',
          transaction_id text NOT NULL DEFAULT '',
          created_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE TABLE ${schema}.order_items (
          order_id text NOT NULL REFERENCES ${schema}.orders (order_id) ON DELETE CASCADE,
          product_id text NOT NULL,
          -- Keeps the lines in the order the customer placed them.
          line smallint NOT NULL,
          quantity integer NOT NULL CHECK (quantity > 0),
          cost_units bigint NOT NULL,
          cost_nanos integer NOT NULL CHECK (cost_nanos BETWEEN -999999999 AND 999999999),
          PRIMARY KEY (order_id, product_id)
        );`,
    },
    {
      // Seed 001's indexes; order_items(order_id) is the primary key's leading column already.
      version: 2,
      name: 'index orders by user, status and time; items by product',
      sql: `
        CREATE INDEX orders_user_id_created_at_idx ON ${schema}.orders (user_id, created_at DESC);
        CREATE INDEX orders_status_idx ON ${schema}.orders (status);
        CREATE INDEX orders_created_at_idx ON ${schema}.orders (created_at);
        CREATE INDEX order_items_product_id_idx ON ${schema}.order_items (product_id);`,
    },
    {
      // Seed 002's order_stats_hourly: hours in UTC, one row per hour and currency (amounts in
      // different currencies cannot be added). Cancelled orders are counted but earn nothing.
      version: 3,
      name: 'create view order_stats_hourly',
      sql: `
        CREATE VIEW ${schema}.order_stats_hourly AS
        SELECT date_trunc('hour', created_at, 'UTC') AS hour,
               currency_code,
               count(*) FILTER (WHERE status = 'placed') AS order_count,
               count(*) FILTER (WHERE status = 'cancelled') AS cancelled_count,
               coalesce(
                 sum(total_units::numeric + total_nanos::numeric / 1000000000) FILTER (WHERE status = 'placed'),
                 0
               )::numeric(20, 9) AS revenue,
               round(
                 avg(total_units::numeric + total_nanos::numeric / 1000000000) FILTER (WHERE status = 'placed'),
                 2
               ) AS average_order_value
          FROM ${schema}.orders
         GROUP BY 1, 2;`,
    },
    {
      // created_at is the transaction's start, and orders placed in the same clock tick (PGlite's
      // clock counts milliseconds) tie on it: a sequence keeps "newest first" exact.
      version: 4,
      name: 'number orders in the order they were stored',
      sql: `
        ALTER TABLE ${schema}.orders ADD COLUMN stored_seq bigint GENERATED ALWAYS AS IDENTITY;
        DROP INDEX ${schema}.orders_user_id_created_at_idx;
        CREATE INDEX orders_user_id_created_at_idx ON ${schema}.orders (user_id, created_at DESC, stored_seq DESC);`,
    },
    {
      // A refund is the order's own record (and its audit): who, from where, when, what, and the
      // status before and after. Lines are JSON: a refund is read whole, never queried by line.
      version: 5,
      name: 'refunds of orders',
      sql: `
        ALTER TABLE ${schema}.orders DROP CONSTRAINT orders_status_check;
        ALTER TABLE ${schema}.orders ADD CONSTRAINT orders_status_check
          CHECK (status IN ('placed', 'cancelled', 'partially_refunded', 'refunded'));
        CREATE TABLE ${schema}.order_refunds (
          order_id text NOT NULL REFERENCES ${schema}.orders (order_id) ON DELETE CASCADE,
          refund_id text NOT NULL,
          items jsonb NOT NULL,
          amount_units bigint NOT NULL CHECK (amount_units >= 0),
          amount_nanos integer NOT NULL CHECK (amount_nanos BETWEEN 0 AND 999999999),
          reason text NOT NULL DEFAULT '',
          actor text NOT NULL,
          client_address text NOT NULL DEFAULT '',
          status_before text NOT NULL,
          status_after text NOT NULL,
          refunded_at timestamptz NOT NULL DEFAULT now(),
          refunded_seq bigint GENERATED ALWAYS AS IDENTITY,
          PRIMARY KEY (order_id, refund_id)
        );`,
    },
    {
      // A refunded order was still placed in its hour: it stays in the count and the gross
      // revenue, and what went back is its own column (by the order's hour, like the rest).
      version: 6,
      name: 'order_stats_hourly counts refunded orders and refunds',
      sql: `
        CREATE OR REPLACE VIEW ${schema}.order_stats_hourly AS
        SELECT date_trunc('hour', o.created_at, 'UTC') AS hour,
               o.currency_code,
               count(*) FILTER (WHERE o.status <> 'cancelled') AS order_count,
               count(*) FILTER (WHERE o.status = 'cancelled') AS cancelled_count,
               coalesce(
                 sum(o.total_units::numeric + o.total_nanos::numeric / 1000000000) FILTER (WHERE o.status <> 'cancelled'),
                 0
               )::numeric(20, 9) AS revenue,
               round(
                 avg(o.total_units::numeric + o.total_nanos::numeric / 1000000000) FILTER (WHERE o.status <> 'cancelled'),
                 2
               ) AS average_order_value,
               count(*) FILTER (WHERE o.status IN ('partially_refunded', 'refunded')) AS refunded_count,
               coalesce(sum(r.amount), 0)::numeric(20, 9) AS refunded
          FROM ${schema}.orders o
          LEFT JOIN (
            SELECT order_id, sum(amount_units::numeric + amount_nanos::numeric / 1000000000) AS amount
              FROM ${schema}.order_refunds
             GROUP BY order_id
          ) r ON r.order_id = o.order_id
         GROUP BY 1, 2;`,
    },
    {
      // Money goes back when it is refunded, not when the order was placed: refunded is summed by
      // the refund's hour (an hour with refunds and no orders gets its row), refunded_count stays
      // with the orders of the hour. Columns and types as in version 6, so the view is replaced.
      version: 7,
      name: 'order_stats_hourly sums refunds in the hour they were made',
      sql: `
        CREATE OR REPLACE VIEW ${schema}.order_stats_hourly AS
        WITH placed AS (
          SELECT date_trunc('hour', created_at, 'UTC') AS hour,
                 currency_code,
                 count(*) FILTER (WHERE status <> 'cancelled') AS order_count,
                 count(*) FILTER (WHERE status = 'cancelled') AS cancelled_count,
                 sum(total_units::numeric + total_nanos::numeric / 1000000000) FILTER (WHERE status <> 'cancelled') AS revenue,
                 round(
                   avg(total_units::numeric + total_nanos::numeric / 1000000000) FILTER (WHERE status <> 'cancelled'),
                   2
                 ) AS average_order_value,
                 count(*) FILTER (WHERE status IN ('partially_refunded', 'refunded')) AS refunded_count
            FROM ${schema}.orders
           GROUP BY 1, 2
        ), refunds AS (
          SELECT date_trunc('hour', r.refunded_at, 'UTC') AS hour,
                 o.currency_code,
                 sum(r.amount_units::numeric + r.amount_nanos::numeric / 1000000000) AS refunded
            FROM ${schema}.order_refunds r
            JOIN ${schema}.orders o ON o.order_id = r.order_id
           GROUP BY 1, 2
        )
        SELECT coalesce(p.hour, r.hour) AS hour,
               coalesce(p.currency_code, r.currency_code) AS currency_code,
               coalesce(p.order_count, 0) AS order_count,
               coalesce(p.cancelled_count, 0) AS cancelled_count,
               coalesce(p.revenue, 0)::numeric(20, 9) AS revenue,
               p.average_order_value,
               coalesce(p.refunded_count, 0) AS refunded_count,
               coalesce(r.refunded, 0)::numeric(20, 9) AS refunded
          FROM placed p
          FULL JOIN refunds r ON r.hour = p.hour AND r.currency_code = p.currency_code;`,
    },
  ];
}
