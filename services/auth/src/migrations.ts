import type { Migration } from '@glasshouse/kit';

/** The auth service's versioned migrations, in the given schema (its own; nobody else reads it). */
export function authMigrations(schema: string): Migration[] {
  return [
    {
      version: 1,
      name: 'create customers and sessions',
      sql: `
        CREATE TABLE ${schema}.customers (
          id uuid PRIMARY KEY,
          -- Kept lower-cased, so one address is one account however it is typed.
          email text NOT NULL UNIQUE CHECK (email = lower(email)),
          name text NOT NULL,
          role text NOT NULL DEFAULT 'customer' CHECK (role IN ('customer', 'operator', 'admin')),
          password_hash text NOT NULL,
          created_at timestamptz NOT NULL
        );
        CREATE TABLE ${schema}.sessions (
          -- SHA-256 of the token, hex: the token itself is never stored.
          token_hash text PRIMARY KEY,
          customer_id uuid NOT NULL REFERENCES ${schema}.customers (id),
          created_at timestamptz NOT NULL,
          expires_at timestamptz NOT NULL,
          revoked_at timestamptz
        );
        CREATE INDEX sessions_customer_id_idx ON ${schema}.sessions (customer_id);
        CREATE INDEX sessions_expires_at_idx ON ${schema}.sessions (expires_at) WHERE revoked_at IS NULL;`,
    },
    {
      // Seed 002's login_attempts (id, email, ip_address, success, attempt_time), plus the
      // outcome, so a refusal while locked out is told apart from a wrong password.
      version: 2,
      name: 'create login_attempts',
      sql: `
        CREATE TABLE ${schema}.login_attempts (
          id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          email text NOT NULL,
          ip_address text,
          success boolean NOT NULL,
          outcome text NOT NULL CHECK (outcome IN ('success', 'failure', 'locked')),
          attempt_time timestamptz NOT NULL
        );
        CREATE INDEX login_attempts_email_time_idx ON ${schema}.login_attempts (email, attempt_time DESC);
        CREATE INDEX login_attempts_ip_time_idx ON ${schema}.login_attempts (ip_address, attempt_time DESC);
        CREATE INDEX login_attempts_time_idx ON ${schema}.login_attempts (attempt_time);`,
    },
    {
      version: 3,
      name: 'create api_tokens',
      sql: `
        CREATE TABLE ${schema}.api_tokens (
          id uuid PRIMARY KEY,
          customer_id uuid NOT NULL REFERENCES ${schema}.customers (id),
          label text NOT NULL,
          token_hash text NOT NULL UNIQUE,
          created_at timestamptz NOT NULL,
          last_used_at timestamptz,
          revoked_at timestamptz
        );
        CREATE INDEX api_tokens_customer_id_idx ON ${schema}.api_tokens (customer_id, created_at DESC);`,
    },
    {
      // Append-only: the code has no UPDATE or DELETE of it, and the database refuses both.
      version: 4,
      name: 'create audit_log, append-only',
      sql: `
        CREATE TABLE ${schema}.audit_log (
          id uuid PRIMARY KEY,
          seq bigint GENERATED ALWAYS AS IDENTITY,
          at timestamptz NOT NULL,
          actor text NOT NULL,
          actor_email_masked text NOT NULL DEFAULT '',
          client_address text NOT NULL DEFAULT '',
          action text NOT NULL,
          target text NOT NULL DEFAULT '',
          before_json text NOT NULL DEFAULT '',
          after_json text NOT NULL DEFAULT ''
        );
        CREATE INDEX audit_log_seq_idx ON ${schema}.audit_log (seq DESC);
        CREATE INDEX audit_log_action_seq_idx ON ${schema}.audit_log (action, seq DESC);
        CREATE FUNCTION ${schema}.refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
        END
        $$;
        CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON ${schema}.audit_log
          FOR EACH ROW EXECUTE FUNCTION ${schema}.refuse_audit_change();
        CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON ${schema}.audit_log
          FOR EACH STATEMENT EXECUTE FUNCTION ${schema}.refuse_audit_change();`,
    },
  ];
}
