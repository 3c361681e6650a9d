import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { auth } from '@glasshouse/contracts';
import type { TestStore } from '@glasshouse/kit/testing';
import { expectStatus, storeVariants, waitFor } from '@glasshouse/kit/testing';
import { migrate } from '@glasshouse/kit';
import { authMigrations } from './migrations.js';
import { SCRYPT_COST } from './passwords.js';
import type { RunningAuth } from './spec-support.js';
import { PASSWORD, START, TEST_CONFIG, startAuth } from './spec-support.js';

const { accountFailures, addressFailures, windowMs } = TEST_CONFIG.lockout;

function accountsSuite(name: string, open: () => Promise<TestStore>): void {
  describe(`sign-up, sign-in and lockout on ${name}`, () => {
    let store: TestStore;
    let service: RunningAuth;
    const newEmail = () => `Shopper.${randomUUID().slice(0, 8)}@Example.com`;
    const signUp = async (email = newEmail(), password = PASSWORD) => {
      await service.client.signUp({ email, password, name: 'Ada Shopper', clientAddress: '198.51.100.7' });
      return email;
    };
    const attempts = (email: string) =>
      store.db.query<{
        outcome: string;
        success: boolean;
        ip_address: string | null;
        attempt_time: Date | string;
      }>(
        `SELECT outcome, success, ip_address, attempt_time FROM ${store.schema}.login_attempts
          WHERE email = $1 ORDER BY id`,
        [email.toLowerCase()],
      );
    const customers = async () => {
      const [row] = await store.db.query<{ n: bigint }>(
        `SELECT count(*) AS n FROM ${store.schema}.customers`,
      );
      return Number(row?.n);
    };

    before(async () => {
      store = await open();
      service = await startAuth(store);
    });
    after(async () => {
      await service.stop();
      await store.dispose();
    });

    it('migrates, and applies nothing the second time', async () => {
      assert.deepEqual(await migrate(store.db, store.schema, authMigrations(store.schema)), []);
      const tables = await store.db.query<{ tablename: string }>(
        'SELECT tablename FROM pg_tables WHERE schemaname = $1 ORDER BY tablename',
        [store.schema],
      );
      assert.deepEqual(
        tables.map((t) => t.tablename).filter((t) => t !== 'schema_migrations'),
        ['api_tokens', 'audit_log', 'customers', 'login_attempts', 'sessions'],
      );
    });

    it('signs a customer up with the email lower-cased, and refuses the same email in other letters', async () => {
      const email = newEmail();
      const { customer } = await service.client.signUp({
        email,
        password: PASSWORD,
        name: ' Ada ',
        clientAddress: '',
      });
      assert.equal(customer?.email, email.toLowerCase());
      assert.equal(customer?.name, 'Ada');
      assert.equal(customer?.role, auth.Role.ROLE_CUSTOMER);
      assert.equal(customer?.admin, false);
      assert.equal(customer?.createdAt?.toISOString(), START.toISOString());
      await assert.rejects(
        service.client.signUp({
          email: email.toUpperCase(),
          password: PASSWORD,
          name: 'Eve',
          clientAddress: '',
        }),
        expectStatus(status.ALREADY_EXISTS, 'email: an account with this email exists'),
      );
      const [row] = await store.db.query<{ password_hash: string }>(
        `SELECT password_hash FROM ${store.schema}.customers WHERE email = $1`,
        [email.toLowerCase()],
      );
      const { log2N, r, p } = SCRYPT_COST;
      assert.match(
        row?.password_hash ?? '',
        new RegExp(`^scrypt\\$${log2N}\\$${r}\\$${p}\\$[\\w-]{22}\\$[\\w-]{43}$`),
      );
      assert.equal(await service.sample('auth_signups_total', { result: 'created' }), 1);
      assert.equal(await service.sample('auth_signups_total', { result: 'taken' }), 1);
    });

    it('refuses bad sign-ups with INVALID_ARGUMENT naming the field, and stores nothing', async () => {
      const before = await customers();
      const cases: [auth.SignUpRequest, RegExp][] = [
        [{ email: '', password: PASSWORD, name: 'A', clientAddress: '' }, /^email: required$/],
        [{ email: 'not-an-email', password: PASSWORD, name: 'A', clientAddress: '' }, /^email: not an email/],
        [{ email: newEmail(), password: 'short', name: 'A', clientAddress: '' }, /^password: shorter than 8/],
        [
          { email: newEmail(), password: 'x'.repeat(2000), name: 'A', clientAddress: '' },
          /^password: longer/,
        ],
        [{ email: newEmail(), password: PASSWORD, name: '  ', clientAddress: '' }, /^name: required$/],
        [
          { email: newEmail(), password: PASSWORD, name: 'A\u0000B', clientAddress: '' },
          /^name: must not contain/,
        ],
        [{ email: newEmail(), password: PASSWORD, name: 'A', clientAddress: 'nowhere' }, /^client_address: /],
      ];
      for (const [request, reason] of cases)
        await assert.rejects(service.client.signUp(request), expectStatus(status.INVALID_ARGUMENT, reason));
      assert.equal(await customers(), before);
      assert.equal(await service.sample('auth_signups_total', { result: 'invalid' }), cases.length);
    });

    it('signs in with a random token stored only as its hash, which resolves to the customer until sign-out', async () => {
      const email = await signUp();
      const login = await service.client.login({ email, password: PASSWORD, clientAddress: '203.0.113.9' });
      assert.match(login.token, /^[A-Za-z0-9_-]{43}$/);
      assert.equal(login.expiresAt?.getTime(), START.getTime() + TEST_CONFIG.sessionTtlMs);
      assert.equal(login.customer?.email, email.toLowerCase());
      const stored = await store.db.query<{ token_hash: string }>(
        `SELECT s.token_hash FROM ${store.schema}.sessions s JOIN ${store.schema}.customers c ON c.id = s.customer_id
          WHERE c.email = $1`,
        [email.toLowerCase()],
      );
      assert.deepEqual(
        stored.map((s) => s.token_hash),
        [createHash('sha256').update(login.token).digest('hex')],
      );
      const verified = await service.client.verifyToken({ token: login.token });
      assert.equal(verified.kind, auth.TokenKind.TOKEN_KIND_SESSION);
      assert.equal(verified.role, auth.Role.ROLE_CUSTOMER);
      assert.equal(verified.customer?.customerId, login.customer?.customerId);

      await service.client.logout({ token: login.token });
      await assert.rejects(
        service.client.verifyToken({ token: login.token }),
        expectStatus(status.UNAUTHENTICATED, /unknown, expired or revoked/),
      );
      // Signing out twice, or with a token nobody issued, is not an error.
      await service.client.logout({ token: login.token });
      await service.client.logout({ token: 'never-issued' });
      await assert.rejects(
        service.client.logout({ token: '' }),
        expectStatus(status.INVALID_ARGUMENT, 'token: required'),
      );
    });

    it('lets a session expire after its time to live', async () => {
      const email = await signUp();
      const { token } = await service.client.login({ email, password: PASSWORD, clientAddress: '' });
      service.clock.advance(TEST_CONFIG.sessionTtlMs - 1);
      await service.client.verifyToken({ token });
      service.clock.advance(1);
      await assert.rejects(
        service.client.verifyToken({ token }),
        expectStatus(status.UNAUTHENTICATED, /expired/),
      );
    });

    it('answers a wrong password and an unknown email alike', async () => {
      const email = await signUp();
      const wrong = 'UNAUTHENTICATED';
      await assert.rejects(
        service.client.login({ email, password: 'not the password', clientAddress: '' }),
        expectStatus(status.UNAUTHENTICATED, 'the email or the password is wrong'),
        wrong,
      );
      await assert.rejects(
        service.client.login({ email: newEmail(), password: PASSWORD, clientAddress: '' }),
        expectStatus(status.UNAUTHENTICATED, 'the email or the password is wrong'),
        wrong,
      );
    });

    it('locks an account after its limit of failures, refuses even the right password, and lets it in after the window', async () => {
      const email = await signUp();
      const address = '192.0.2.10';
      const lockoutsBefore = await service.sample('auth_lockouts_total', { scope: 'account' });
      const firstFailure = service.clock.now();
      for (let i = 0; i < accountFailures; i++) {
        await assert.rejects(
          service.client.login({ email, password: `wrong-${i}-password`, clientAddress: address }),
          expectStatus(status.UNAUTHENTICATED, /wrong/),
        );
        service.clock.advance(1000);
      }
      const retryAt = new Date(firstFailure.getTime() + windowMs).toISOString();
      await assert.rejects(
        service.client.login({ email, password: PASSWORD, clientAddress: address }),
        expectStatus(
          status.RESOURCE_EXHAUSTED,
          `too many failed sign-ins for this account; try again after ${retryAt}`,
        ),
      );
      assert.equal(await service.sample('auth_lockouts_total', { scope: 'account' }), lockoutsBefore + 1);
      // Another address does not help: the account is what is locked.
      await assert.rejects(
        service.client.login({ email, password: PASSWORD, clientAddress: '192.0.2.99' }),
        expectStatus(status.RESOURCE_EXHAUSTED, /this account/),
      );
      service.clock.advance(new Date(retryAt).getTime() - service.clock.now().getTime());
      const { token } = await service.client.login({ email, password: PASSWORD, clientAddress: address });
      assert.ok(token);

      const rows = await attempts(email);
      assert.deepEqual(
        rows.map((r) => [r.outcome, r.success]),
        [
          ...Array.from({ length: accountFailures }, () => ['failure', false]),
          ['locked', false],
          ['locked', false],
          ['success', true],
        ],
      );
      assert.deepEqual(
        rows.map((r) => r.ip_address),
        [...Array.from({ length: accountFailures + 1 }, () => address), '192.0.2.99', address],
      );
      assert.equal(new Date(rows[0]?.attempt_time ?? 0).toISOString(), firstFailure.toISOString());
    });

    it('starts the count afresh after a successful sign-in', async () => {
      const email = await signUp();
      for (let round = 0; round < 2; round++) {
        for (let i = 0; i < accountFailures - 1; i++)
          await assert.rejects(
            service.client.login({ email, password: 'wrong password', clientAddress: '' }),
            expectStatus(status.UNAUTHENTICATED, /wrong/),
          );
        await service.client.login({ email, password: PASSWORD, clientAddress: '' });
      }
    });

    it('locks a client address that fails across many accounts, not the accounts elsewhere', async () => {
      const address = '2001:db8::66';
      const victims = await Promise.all(Array.from({ length: addressFailures }, () => signUp()));
      const lockoutsBefore = await service.sample('auth_lockouts_total', { scope: 'address' });
      for (const email of victims)
        await assert.rejects(
          service.client.login({ email, password: 'guess-123456', clientAddress: address }),
          expectStatus(status.UNAUTHENTICATED, /wrong/),
        );
      const fresh = await signUp();
      await assert.rejects(
        service.client.login({ email: fresh, password: PASSWORD, clientAddress: address }),
        expectStatus(
          status.RESOURCE_EXHAUSTED,
          /too many failed sign-ins for this address; try again after /,
        ),
      );
      assert.equal(await service.sample('auth_lockouts_total', { scope: 'address' }), lockoutsBefore + 1);
      await service.client.login({ email: fresh, password: PASSWORD, clientAddress: '2001:db8::67' });
      service.clock.advance(windowMs);
      await service.client.login({ email: fresh, password: PASSWORD, clientAddress: address });
    });

    it('counts every attempt by result', async () => {
      const [row] = await store.db.query<{ success: bigint; failure: bigint; locked: bigint }>(
        `SELECT count(*) FILTER (WHERE outcome = 'success') AS success,
                count(*) FILTER (WHERE outcome = 'failure') AS failure,
                count(*) FILTER (WHERE outcome = 'locked') AS locked
           FROM ${store.schema}.login_attempts`,
      );
      for (const result of ['success', 'failure', 'locked'] as const)
        assert.equal(
          await service.sample('auth_login_attempts_total', { result }),
          Number(row?.[result]),
          result,
        );
    });

    it('refuses malformed sign-ins with INVALID_ARGUMENT, recording no attempt', async () => {
      const [before] = await store.db.query<{ n: bigint }>(
        `SELECT count(*) AS n FROM ${store.schema}.login_attempts`,
      );
      const cases: [auth.LoginRequest, RegExp][] = [
        [{ email: '', password: PASSWORD, clientAddress: '' }, /^email: required$/],
        [{ email: 'a@b', password: PASSWORD, clientAddress: '' }, /^email: not an email/],
        [{ email: newEmail(), password: '', clientAddress: '' }, /^password: required$/],
        [{ email: newEmail(), password: PASSWORD, clientAddress: '999.1.1.1' }, /^client_address: /],
      ];
      for (const [request, reason] of cases)
        await assert.rejects(service.client.login(request), expectStatus(status.INVALID_ARGUMENT, reason));
      const [afterwards] = await store.db.query<{ n: bigint }>(
        `SELECT count(*) AS n FROM ${store.schema}.login_attempts`,
      );
      assert.equal(afterwards?.n, before?.n);
    });

    it('shows live sessions in auth_sessions_active', async () => {
      const email = await signUp();
      const { token } = await service.client.login({ email, password: PASSWORD, clientAddress: '' });
      const live = await service.repository.activeSessions(service.clock.now());
      await waitForGauge(service, live);
      await service.client.logout({ token });
      await waitForGauge(service, live - 1);
    });
  });
}

async function waitForGauge(service: RunningAuth, expected: number): Promise<void> {
  await waitFor(async () => (await service.sample('auth_sessions_active', {})) === expected, {
    timeoutMs: 5000,
    what: `auth_sessions_active = ${expected}`,
  });
}

for (const [name, open] of storeVariants('auth_test', 'auth', { poolSize: 4 })) accountsSuite(name, open);
