import type { Migration } from '@glasshouse/kit';
import { SEED_STOCK } from './seed-stock.js';

const literal = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/** The inventory's versioned migrations, in the given schema (its own; nobody else reads it). */
export function inventoryMigrations(schema: string): Migration[] {
  const rows = SEED_STOCK.map(
    (s) => `(${literal(s.productId)}, ${literal(s.productName)}, ${s.quantity}, ${s.lowStockThreshold})`,
  );
  return [
    {
      version: 1,
      name: 'create stock and reservations',
      sql: `
        CREATE TABLE ${schema}.stock (
          product_id text PRIMARY KEY,
          product_name text NOT NULL,
          -- The last line of defence against overselling: no update may take stock below zero.
          quantity integer NOT NULL CHECK (quantity >= 0),
          low_stock_threshold integer NOT NULL DEFAULT 10 CHECK (low_stock_threshold >= 0),
          updated_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE TABLE ${schema}.reservations (
          reservation_id text NOT NULL,
          product_id text NOT NULL REFERENCES ${schema}.stock (product_id),
          quantity integer NOT NULL CHECK (quantity > 0),
          created_at timestamptz NOT NULL DEFAULT now(),
          released_at timestamptz,
          PRIMARY KEY (reservation_id, product_id)
        );
        CREATE INDEX reservations_open_idx ON ${schema}.reservations (created_at) WHERE released_at IS NULL;`,
    },
    {
      version: 2,
      name: 'create view low_stock_products',
      sql: `
        CREATE VIEW ${schema}.low_stock_products AS
        SELECT product_id, product_name, quantity, low_stock_threshold, updated_at
          FROM ${schema}.stock
         WHERE quantity <= low_stock_threshold;`,
    },
    {
      version: 3,
      name: 'seed stock',
      sql: `INSERT INTO ${schema}.stock (product_id, product_name, quantity, low_stock_threshold)
            VALUES ${rows.join(',\n')}
            ON CONFLICT (product_id) DO NOTHING;`,
    },
    {
      // Reservations open before this migration belong to placed orders: they count as committed.
      version: 4,
      name: 'commit reservations; index those open',
      sql: `
        ALTER TABLE ${schema}.reservations ADD COLUMN committed_at timestamptz;
        UPDATE ${schema}.reservations SET committed_at = created_at WHERE released_at IS NULL;
        DROP INDEX ${schema}.reservations_open_idx;
        CREATE INDEX reservations_open_idx ON ${schema}.reservations (created_at)
          WHERE released_at IS NULL AND committed_at IS NULL;`,
    },
    {
      // Goods a refund gave back, once per return id (checkout derives it from the refund).
      version: 5,
      name: 'create stock_returns',
      sql: `
        CREATE TABLE ${schema}.stock_returns (
          return_id text NOT NULL,
          product_id text NOT NULL REFERENCES ${schema}.stock (product_id),
          quantity integer NOT NULL CHECK (quantity > 0),
          returned_at timestamptz NOT NULL DEFAULT now(),
          PRIMARY KEY (return_id, product_id)
        );`,
    },
  ];
}
