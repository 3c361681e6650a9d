import type { Migration } from '@glasshouse/kit';
import { SEED_PRODUCTS } from './seed-products.js';

const literal = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/** The catalog's versioned migrations, in the given schema (its own; nobody else reads it). */
export function catalogMigrations(schema: string): Migration[] {
  const rows = SEED_PRODUCTS.map(
    (p) =>
      `(${literal(p.id)}, ${literal(p.name)}, ${literal(p.description)}, ${literal(p.picture)}, ` +
      `${p.priceUsd.units}, ${p.priceUsd.nanos}, ARRAY[${p.categories.map(literal).join(', ')}]::text[])`,
  );
  return [
    {
      version: 1,
      name: 'create products',
      sql: `
        CREATE TABLE ${schema}.products (
          id text PRIMARY KEY,
          name text NOT NULL,
          description text NOT NULL DEFAULT '',
          picture text NOT NULL DEFAULT '',
          price_usd_units bigint NOT NULL CHECK (price_usd_units >= 0),
          price_usd_nanos integer NOT NULL CHECK (price_usd_nanos BETWEEN 0 AND 999999999),
          categories text[] NOT NULL DEFAULT '{}',
          created_at timestamptz NOT NULL DEFAULT now(),
          updated_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX products_name_idx ON ${schema}.products (lower(name));
        CREATE INDEX products_categories_idx ON ${schema}.products USING gin (categories);`,
    },
    {
      version: 2,
      name: 'seed products',
      sql: `INSERT INTO ${schema}.products
              (id, name, description, picture, price_usd_units, price_usd_nanos, categories)
            VALUES ${rows.join(',\n')}
            ON CONFLICT (id) DO NOTHING;`,
    },
  ];
}
