import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TEST_POSTGRES_URL } from '@glasshouse/kit/testing';
import pg from 'pg';
import { parse } from 'yaml';
import { authMigrations } from '../services/auth/src/migrations.js';

/**
 * The Grafana-managed brute-force alert (seed 002's alert over login_attempts): its SQL run in
 * real PostgreSQL on the auth service's own migrations returns exactly the attacked accounts.
 */

interface Query {
  datasourceUid: string;
  model: { rawSql?: string };
}
interface Provisioning {
  groups: { rules: { uid: string; title: string; data: Query[]; labels: Record<string, string> }[] }[];
}

const ALERTING = join(__dirname, '..', 'deploy', 'grafana', 'provisioning', 'alerting', 'glasshouse.yaml');
const provisioning = parse(readFileSync(ALERTING, 'utf8')) as Provisioning;
const rule = provisioning.groups
  .flatMap((g) => g.rules)
  .find((r) => r.uid === 'glasshouse-login-attempts-refused');
const sql = rule?.data.find((q) => q.datasourceUid === 'postgres-auth')?.model.rawSql ?? '';

describe('the Grafana-managed LoginAttemptsRefused alert, in PostgreSQL', () => {
  const database = `glasshouse_logins_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  let auth: pg.Client;
  /** `count` attempts of `email` from `addresses` (in turn), `minutesAgo` minutes ago. */
  const attempts = async (
    email: string,
    count: number,
    outcome: 'success' | 'failure' | 'locked',
    addresses: readonly string[],
    minutesAgo = 1,
  ) => {
    for (let i = 0; i < count; i++)
      await auth.query(
        `INSERT INTO auth.login_attempts (email, ip_address, success, outcome, attempt_time)
         VALUES ($1, $2, $3, $4, now() - make_interval(mins => $5))`,
        [email, addresses[i % addresses.length], outcome === 'success', outcome, minutesAgo],
      );
  };

  before(async () => {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    const url = new URL(TEST_POSTGRES_URL);
    url.pathname = `/${database}`;
    auth = new pg.Client({ connectionString: url.toString() });
    await auth.connect();
    // The auth service's own migrations, in its own schema, as the service applies them.
    await auth.query('CREATE SCHEMA auth');
    for (const migration of authMigrations('auth')) await auth.query(migration.sql);
  });

  after(async () => {
    await auth?.end();
    await admin.query(`DROP DATABASE IF EXISTS ${database}`);
    await admin.end();
  });

  it('is a paging rule of the auth service over the auth database', () => {
    assert.ok(rule, 'no rule glasshouse-login-attempts-refused');
    assert.equal(rule.labels.severity, 'page');
    assert.equal(rule.labels.service, 'auth');
    assert.match(sql, /FROM auth\.login_attempts/);
  });

  it('returns the attacked accounts, masked, with their refusals and addresses, and nobody else', async () => {
    assert.deepEqual((await auth.query(sql)).rows, []);
    // Attacked: 8 wrong passwords then 4 refusals while locked out, from two addresses.
    await attempts('victim@example.com', 8, 'failure', ['203.0.113.5', '203.0.113.6']);
    await attempts('victim@example.com', 4, 'locked', ['203.0.113.5']);
    // A second target, at exactly the bar.
    await attempts('other.target@example.org', 10, 'failure', ['203.0.113.5']);
    // Below the bar, even with successes around it.
    await attempts('typo@example.com', 9, 'failure', ['198.51.100.1']);
    await attempts('typo@example.com', 30, 'success', ['198.51.100.1']);
    // Many failures, but long ago.
    await attempts('old@example.com', 40, 'failure', ['198.51.100.2'], 20);
    const { rows, fields } = await auth.query<{ email_masked: string; addresses: string; refused: string }>(
      sql,
    );
    assert.deepEqual(
      rows.map((r) => ({ ...r, refused: Number(r.refused) })),
      [
        { email_masked: 'v***@example.com', addresses: '2', refused: 12 },
        { email_masked: 'o***@example.org', addresses: '1', refused: 10 },
      ],
    );
    // One numeric column (the value Grafana thresholds), the rest labels; no full email.
    assert.deepEqual(
      fields.map((f) => f.name),
      ['email_masked', 'addresses', 'refused'],
    );
    assert.ok(!JSON.stringify(rows).includes('victim@'), 'a full email reached the alert');
  });
});
