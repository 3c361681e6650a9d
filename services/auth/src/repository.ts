import type { Database, Queryable } from '@glasshouse/kit';

export type RoleName = 'customer' | 'operator' | 'admin';
export type AttemptOutcome = 'success' | 'failure' | 'locked';

export interface CustomerRecord {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly role: RoleName;
  readonly passwordHash: string;
  readonly createdAt: Date;
}

export interface SessionRecord {
  readonly customer: CustomerRecord;
  readonly expiresAt: Date;
  readonly revokedAt?: Date;
}

export interface ApiTokenRecord {
  readonly id: string;
  readonly customerId: string;
  readonly label: string;
  readonly createdAt: Date;
  readonly lastUsedAt?: Date;
  readonly revokedAt?: Date;
}

export interface AuditEntry {
  readonly id: string;
  readonly at: Date;
  readonly actor: string;
  readonly actorEmailMasked: string;
  readonly clientAddress: string;
  readonly action: string;
  readonly target: string;
  readonly beforeJson: string;
  readonly afterJson: string;
}

type Timestamp = Date | string;

interface CustomerRow {
  id: string;
  email: string;
  name: string;
  role: RoleName;
  password_hash: string;
  created_at: Timestamp;
}

interface ApiTokenRow {
  id: string;
  customer_id: string;
  label: string;
  created_at: Timestamp;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

interface AuditRow {
  id: string;
  at: Timestamp;
  actor: string;
  actor_email_masked: string;
  client_address: string;
  action: string;
  target: string;
  before_json: string;
  after_json: string;
}

const CUSTOMER_COLUMNS = 'id, email, name, role, password_hash, created_at';
const API_TOKEN_COLUMNS = 'id, customer_id, label, created_at, last_used_at, revoked_at';
const AUDIT_COLUMNS =
  'id, at, actor, actor_email_masked, client_address, action, target, before_json, after_json';

const dateOf = (value: Timestamp): Date => new Date(value);
const iso = (date: Date): string => date.toISOString();

function toCustomer(row: CustomerRow): CustomerRecord {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    passwordHash: row.password_hash,
    createdAt: dateOf(row.created_at),
  };
}

function toApiToken(row: ApiTokenRow): ApiTokenRecord {
  return {
    id: row.id,
    customerId: row.customer_id,
    label: row.label,
    createdAt: dateOf(row.created_at),
    ...(row.last_used_at ? { lastUsedAt: dateOf(row.last_used_at) } : {}),
    ...(row.revoked_at ? { revokedAt: dateOf(row.revoked_at) } : {}),
  };
}

function toAudit(row: AuditRow): AuditEntry {
  return {
    id: row.id,
    at: dateOf(row.at),
    actor: row.actor,
    actorEmailMasked: row.actor_email_masked,
    clientAddress: row.client_address,
    action: row.action,
    target: row.target,
    beforeJson: row.before_json,
    afterJson: row.after_json,
  };
}

/** Accounts, sessions, sign-in attempts, machine tokens and the audit log, in the auth service's schema. */
export class AuthRepository {
  constructor(
    private readonly db: Database,
    private readonly schema: string,
  ) {}

  /** Stores a new account; undefined when the email is taken. */
  async createCustomer(customer: CustomerRecord): Promise<CustomerRecord | undefined> {
    const [row] = await this.db.query<CustomerRow>(
      `INSERT INTO ${this.schema}.customers (${CUSTOMER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (email) DO NOTHING RETURNING ${CUSTOMER_COLUMNS}`,
      [
        customer.id,
        customer.email,
        customer.name,
        customer.role,
        customer.passwordHash,
        iso(customer.createdAt),
      ],
    );
    return row ? toCustomer(row) : undefined;
  }

  async customerByEmail(email: string): Promise<CustomerRecord | undefined> {
    const [row] = await this.db.query<CustomerRow>(
      `SELECT ${CUSTOMER_COLUMNS} FROM ${this.schema}.customers WHERE email = $1`,
      [email],
    );
    return row ? toCustomer(row) : undefined;
  }

  /**
   * Gives the account `email` the role `role` and appends the audit record `audit` makes of the
   * change, in one transaction. Undefined when there is no such account.
   */
  async setRole(
    email: string,
    role: RoleName,
    audit: (before: CustomerRecord, after: CustomerRecord) => AuditEntry,
  ): Promise<{ before: CustomerRecord; after: CustomerRecord; record: AuditEntry } | undefined> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx.query<CustomerRow>(
        `SELECT ${CUSTOMER_COLUMNS} FROM ${this.schema}.customers WHERE email = $1 FOR UPDATE`,
        [email],
      );
      if (!row) return undefined;
      const before = toCustomer(row);
      const [updated] = await tx.query<CustomerRow>(
        `UPDATE ${this.schema}.customers SET role = $2 WHERE id = $1 RETURNING ${CUSTOMER_COLUMNS}`,
        [before.id, role],
      );
      if (!updated) throw new Error(`customer ${before.id} vanished while its role was set`);
      const after = toCustomer(updated);
      const record = await this.insertAudit(tx, audit(before, after));
      return { before, after, record };
    });
  }

  /** One row of login_attempts (seed 002), with the moment given by the service's clock. */
  async recordAttempt(attempt: {
    email: string;
    address: string | undefined;
    outcome: AttemptOutcome;
    at: Date;
  }): Promise<void> {
    await this.db.query(
      `INSERT INTO ${this.schema}.login_attempts (email, ip_address, success, outcome, attempt_time)
       VALUES ($1, $2, $3, $4, $5)`,
      [
        attempt.email,
        attempt.address ?? null,
        attempt.outcome === 'success',
        attempt.outcome,
        iso(attempt.at),
      ],
    );
  }

  /**
   * When the latest `limit` failed sign-ins of `email` since `since` happened, newest first;
   * a successful sign-in starts the count afresh. Refusals while locked out do not count, so
   * trying during a lockout does not prolong it.
   */
  async accountFailures(email: string, since: Date, limit: number): Promise<Date[]> {
    const rows = await this.db.query<{ attempt_time: Timestamp }>(
      `SELECT attempt_time FROM ${this.schema}.login_attempts
        WHERE email = $1 AND outcome = 'failure' AND attempt_time > $2
          AND id > coalesce(
            (SELECT max(id) FROM ${this.schema}.login_attempts WHERE email = $1 AND success), 0)
        ORDER BY attempt_time DESC LIMIT $3`,
      [email, iso(since), limit],
    );
    return rows.map((row) => dateOf(row.attempt_time));
  }

  /** The same for one client address, whatever accounts it tried; successes do not reset it. */
  async addressFailures(address: string, since: Date, limit: number): Promise<Date[]> {
    const rows = await this.db.query<{ attempt_time: Timestamp }>(
      `SELECT attempt_time FROM ${this.schema}.login_attempts
        WHERE ip_address = $1 AND outcome = 'failure' AND attempt_time > $2
        ORDER BY attempt_time DESC LIMIT $3`,
      [address, iso(since), limit],
    );
    return rows.map((row) => dateOf(row.attempt_time));
  }

  async createSession(session: {
    tokenHash: string;
    customerId: string;
    createdAt: Date;
    expiresAt: Date;
  }): Promise<void> {
    await this.db.query(
      `INSERT INTO ${this.schema}.sessions (token_hash, customer_id, created_at, expires_at) VALUES ($1, $2, $3, $4)`,
      [session.tokenHash, session.customerId, iso(session.createdAt), iso(session.expiresAt)],
    );
  }

  async sessionByHash(tokenHash: string): Promise<SessionRecord | undefined> {
    const [row] = await this.db.query<CustomerRow & { expires_at: Timestamp; revoked_at: Timestamp | null }>(
      `SELECT c.id, c.email, c.name, c.role, c.password_hash, c.created_at, s.expires_at, s.revoked_at
         FROM ${this.schema}.sessions s JOIN ${this.schema}.customers c ON c.id = s.customer_id
        WHERE s.token_hash = $1`,
      [tokenHash],
    );
    if (!row) return undefined;
    return {
      customer: toCustomer(row),
      expiresAt: dateOf(row.expires_at),
      ...(row.revoked_at ? { revokedAt: dateOf(row.revoked_at) } : {}),
    };
  }

  /** Revokes the session; false when there was none, or it was revoked already. */
  async revokeSession(tokenHash: string, at: Date): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE ${this.schema}.sessions SET revoked_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL RETURNING 1`,
      [tokenHash, iso(at)],
    );
    return rows.length > 0;
  }

  async activeSessions(at: Date): Promise<number> {
    const [row] = await this.db.query<{ n: bigint }>(
      `SELECT count(*) AS n FROM ${this.schema}.sessions WHERE revoked_at IS NULL AND expires_at > $1`,
      [iso(at)],
    );
    return Number(row?.n ?? 0);
  }

  async createApiToken(token: ApiTokenRecord & { tokenHash: string }): Promise<ApiTokenRecord> {
    const [row] = await this.db.query<ApiTokenRow>(
      `INSERT INTO ${this.schema}.api_tokens (id, customer_id, label, token_hash, created_at)
       VALUES ($1, $2, $3, $4, $5) RETURNING ${API_TOKEN_COLUMNS}`,
      [token.id, token.customerId, token.label, token.tokenHash, iso(token.createdAt)],
    );
    if (!row) throw new Error('the api token was not stored');
    return toApiToken(row);
  }

  /** The unrevoked machine token with this hash and its owner, marked as used at `at`. */
  async useApiToken(
    tokenHash: string,
    at: Date,
  ): Promise<{ token: ApiTokenRecord; customer: CustomerRecord } | undefined> {
    const [row] = await this.db.query<ApiTokenRow>(
      `UPDATE ${this.schema}.api_tokens SET last_used_at = $2
        WHERE token_hash = $1 AND revoked_at IS NULL RETURNING ${API_TOKEN_COLUMNS}`,
      [tokenHash, iso(at)],
    );
    if (!row) return undefined;
    const [owner] = await this.db.query<CustomerRow>(
      `SELECT ${CUSTOMER_COLUMNS} FROM ${this.schema}.customers WHERE id = $1`,
      [row.customer_id],
    );
    return owner ? { token: toApiToken(row), customer: toCustomer(owner) } : undefined;
  }

  async listApiTokens(customerId: string): Promise<ApiTokenRecord[]> {
    const rows = await this.db.query<ApiTokenRow>(
      `SELECT ${API_TOKEN_COLUMNS} FROM ${this.schema}.api_tokens WHERE customer_id = $1 ORDER BY created_at DESC, id`,
      [customerId],
    );
    return rows.map(toApiToken);
  }

  async apiToken(id: string): Promise<ApiTokenRecord | undefined> {
    const [row] = await this.db.query<ApiTokenRow>(
      `SELECT ${API_TOKEN_COLUMNS} FROM ${this.schema}.api_tokens WHERE id = $1`,
      [id],
    );
    return row ? toApiToken(row) : undefined;
  }

  /** Revokes a machine token and appends its audit record in one transaction; false when it was revoked already. */
  async revokeApiToken(id: string, at: Date, audit: AuditEntry): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.query(
        `UPDATE ${this.schema}.api_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING 1`,
        [id, iso(at)],
      );
      if (rows.length === 0) return false;
      await this.insertAudit(tx, audit);
      return true;
    });
  }

  async appendAudit(entry: AuditEntry): Promise<AuditEntry> {
    return this.insertAudit(this.db, entry);
  }

  /** The newest `limit` records, optionally of one action only. */
  async listAudit(limit: number, action?: string): Promise<AuditEntry[]> {
    const rows = action
      ? await this.db.query<AuditRow>(
          `SELECT ${AUDIT_COLUMNS} FROM ${this.schema}.audit_log WHERE action = $1 ORDER BY seq DESC LIMIT $2`,
          [action, limit],
        )
      : await this.db.query<AuditRow>(
          `SELECT ${AUDIT_COLUMNS} FROM ${this.schema}.audit_log ORDER BY seq DESC LIMIT $1`,
          [limit],
        );
    return rows.map(toAudit);
  }

  private async insertAudit(db: Queryable, entry: AuditEntry): Promise<AuditEntry> {
    const [row] = await db.query<AuditRow>(
      `INSERT INTO ${this.schema}.audit_log (${AUDIT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       RETURNING ${AUDIT_COLUMNS}`,
      [
        entry.id,
        iso(entry.at),
        entry.actor,
        entry.actorEmailMasked,
        entry.clientAddress,
        entry.action,
        entry.target,
        entry.beforeJson,
        entry.afterJson,
      ],
    );
    if (!row) throw new Error('the audit record was not stored');
    return toAudit(row);
  }
}
