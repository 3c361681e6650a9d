import type { Migration } from '@glasshouse/kit';

/** The payment service's versioned migrations, in the given schema (its own; nobody else reads it). */
export function paymentMigrations(schema: string): Migration[] {
  return [
    {
      version: 1,
      name: 'create payments',
      sql: `
        CREATE TABLE ${schema}.payments (
          transaction_id text PRIMARY KEY,
          idempotency_key text,
          currency_code text NOT NULL CHECK (currency_code ~ '^[A-Z]{3}$'),
          amount_units bigint NOT NULL,
          amount_nanos integer NOT NULL CHECK (amount_nanos BETWEEN -999999999 AND 999999999),
          -- The card's network and last four digits: all of a card the shop keeps.
          card_method text NOT NULL,
          card_last_four text NOT NULL CHECK (card_last_four ~ '^[0-9]{4}$'),
          charged_at timestamptz NOT NULL DEFAULT now(),
          voided_at timestamptz,
          void_reason text
        );
        -- A retry under the same key finds the first charge; a voided charge no longer holds its key.
        CREATE UNIQUE INDEX payments_idempotency_key_idx ON ${schema}.payments (idempotency_key)
          WHERE idempotency_key IS NOT NULL AND voided_at IS NULL;
        CREATE INDEX payments_charged_at_idx ON ${schema}.payments (charged_at);`,
    },
    {
      version: 2,
      name: 'create refunds',
      sql: `
        CREATE TABLE ${schema}.refunds (
          refund_id text PRIMARY KEY,
          transaction_id text NOT NULL REFERENCES ${schema}.payments (transaction_id),
          amount_units bigint NOT NULL,
          amount_nanos integer NOT NULL CHECK (amount_nanos BETWEEN -999999999 AND 999999999),
          reason text NOT NULL DEFAULT '',
          refunded_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX refunds_transaction_id_idx ON ${schema}.refunds (transaction_id);`,
    },
  ];
}
