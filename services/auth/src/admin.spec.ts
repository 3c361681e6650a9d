import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { auth } from '@glasshouse/contracts';
import type { TestStore } from '@glasshouse/kit/testing';
import { expectStatus, storeVariants } from '@glasshouse/kit/testing';
import type { RunningAuth } from './spec-support.js';
import { BOOTSTRAP_TOKEN, PASSWORD, startAuth } from './spec-support.js';

const { ROLE_ADMIN, ROLE_CUSTOMER, ROLE_OPERATOR } = auth.Role;

function adminSuite(name: string, open: () => Promise<TestStore>): void {
  describe(`roles, machine tokens and the audit log on ${name}`, () => {
    let store: TestStore;
    let service: RunningAuth;
    /** A signed-up account with `role`, signed in: its email and session token. */
    const account = async (
      role: auth.Role = ROLE_CUSTOMER,
    ): Promise<{ email: string; token: string; id: string }> => {
      const email = `staff.${randomUUID().slice(0, 8)}@example.com`;
      const { customer } = await service.client.signUp({
        email,
        password: PASSWORD,
        name: 'Staff',
        clientAddress: '',
      });
      if (role !== ROLE_CUSTOMER)
        await service.client.setRole({
          actorToken: BOOTSTRAP_TOKEN,
          email,
          role,
          clientAddress: '127.0.0.1',
        });
      const { token } = await service.client.login({ email, password: PASSWORD, clientAddress: '' });
      return { email, token, id: customer?.customerId ?? '' };
    };
    const auditCount = async (action: string, target: string) => {
      const [row] = await store.db.query<{ n: bigint }>(
        `SELECT count(*) AS n FROM ${store.schema}.audit_log WHERE action = $1 AND target = $2`,
        [action, target],
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

    it('treats the bootstrap token as the deployment admin', async () => {
      const verified = await service.client.verifyToken({ token: BOOTSTRAP_TOKEN });
      assert.equal(verified.kind, auth.TokenKind.TOKEN_KIND_BOOTSTRAP);
      assert.equal(verified.role, ROLE_ADMIN);
      assert.equal(verified.customer, undefined);
    });

    it('sets a role with the bootstrap token or an admin, audited exactly once each', async () => {
      const { email, id } = await account();
      const { customer } = await service.client.setRole({
        actorToken: BOOTSTRAP_TOKEN,
        email: email.toUpperCase(),
        role: ROLE_ADMIN,
        clientAddress: '10.0.0.5',
      });
      assert.equal(customer?.role, ROLE_ADMIN);
      assert.equal(customer?.admin, true);
      assert.equal(await auditCount('role.set', `customer:${id}`), 1);
      const { token: adminToken } = await service.client.login({
        email,
        password: PASSWORD,
        clientAddress: '',
      });
      const other = await account();
      await service.client.setRole({
        actorToken: adminToken,
        email: other.email,
        role: ROLE_OPERATOR,
        clientAddress: '',
      });
      assert.equal(await auditCount('role.set', `customer:${other.id}`), 1);
      const [record] = (
        await service.client.listAudit({ actorToken: adminToken, limit: 1, action: 'role.set' })
      ).records;
      assert.equal(record?.actor, `customer:${id}`);
      assert.match(record?.actorEmailMasked ?? '', /^s\*\*\*@example\.com$/);
      assert.equal(record?.target, `customer:${other.id}`);
      assert.deepEqual(JSON.parse(record?.beforeJson ?? ''), { role: 'customer' });
      assert.deepEqual(JSON.parse(record?.afterJson ?? ''), { role: 'operator' });
      // The role is read at every check: the new operator's existing session carries it at once.
      assert.equal((await service.client.verifyToken({ token: other.token })).role, ROLE_OPERATOR);
    });

    it('refuses SetRole without a token, with a customer or operator, and for bad input', async () => {
      const customer = await account();
      const operator = await account(ROLE_OPERATOR);
      const request = { email: customer.email, role: ROLE_ADMIN, clientAddress: '' };
      await assert.rejects(
        service.client.setRole({ ...request, actorToken: '' }),
        expectStatus(status.UNAUTHENTICATED, 'actor_token: a token is required'),
      );
      await assert.rejects(
        service.client.setRole({ ...request, actorToken: 'forged-token' }),
        expectStatus(status.UNAUTHENTICATED, /unknown, expired or revoked/),
      );
      for (const actor of [customer, operator])
        await assert.rejects(
          service.client.setRole({ ...request, actorToken: actor.token }),
          expectStatus(status.PERMISSION_DENIED, 'this needs the admin role'),
        );
      await assert.rejects(
        service.client.setRole({ ...request, actorToken: BOOTSTRAP_TOKEN, role: auth.Role.ROLE_UNSPECIFIED }),
        expectStatus(status.INVALID_ARGUMENT, /^role: /),
      );
      await assert.rejects(
        service.client.setRole({ ...request, actorToken: BOOTSTRAP_TOKEN, email: 'nobody@example.com' }),
        expectStatus(status.NOT_FOUND, 'email: no account with this email'),
      );
      assert.equal((await service.client.verifyToken({ token: customer.token })).role, ROLE_CUSTOMER);
      assert.equal(await auditCount('role.set', `customer:${customer.id}`), 0);
    });

    it('issues machine tokens to operators only; they resolve, are listed, and stop when revoked', async () => {
      const customer = await account();
      await assert.rejects(
        service.client.issueApiToken({ actorToken: customer.token, label: 'mine' }),
        expectStatus(status.PERMISSION_DENIED, 'this needs the operator role'),
      );
      await assert.rejects(
        service.client.issueApiToken({ actorToken: BOOTSTRAP_TOKEN, label: 'nobody' }),
        expectStatus(status.PERMISSION_DENIED, /sign in as an operator|needs a session/),
      );
      const operator = await account(ROLE_OPERATOR);
      await assert.rejects(
        service.client.issueApiToken({ actorToken: operator.token, label: '' }),
        expectStatus(status.INVALID_ARGUMENT, 'label: required'),
      );
      const issued = await service.client.issueApiToken({
        actorToken: operator.token,
        label: 'fault command',
      });
      assert.match(issued.token, /^[A-Za-z0-9_-]{43}$/);
      const tokenId = issued.apiToken?.tokenId ?? '';
      await assert.rejects(
        service.client.issueApiToken({ actorToken: issued.token, label: 'offspring' }),
        expectStatus(status.PERMISSION_DENIED, /needs a session/),
      );
      const verified = await service.client.verifyToken({ token: issued.token });
      assert.equal(verified.kind, auth.TokenKind.TOKEN_KIND_API);
      assert.equal(verified.role, ROLE_OPERATOR);
      assert.equal(verified.customer?.customerId, operator.id);
      const [listed] = (await service.client.listApiTokens({ actorToken: operator.token })).apiTokens;
      assert.equal(listed?.tokenId, tokenId);
      assert.equal(listed?.label, 'fault command');
      assert.ok(listed?.lastUsedAt instanceof Date);
      assert.equal(listed?.revoked, false);
      const stored = await store.db.query<Record<string, unknown>>(
        `SELECT * FROM ${store.schema}.api_tokens WHERE id = $1`,
        [tokenId],
      );
      assert.ok(!JSON.stringify(stored).includes(issued.token), 'the token itself is stored');

      const stranger = await account(ROLE_OPERATOR);
      await assert.rejects(
        service.client.revokeApiToken({ actorToken: stranger.token, tokenId }),
        expectStatus(status.NOT_FOUND, /^token_id: no token/),
      );
      await service.client.revokeApiToken({ actorToken: operator.token, tokenId });
      await assert.rejects(
        service.client.verifyToken({ token: issued.token }),
        expectStatus(status.UNAUTHENTICATED, /revoked/),
      );
      await service.client.revokeApiToken({ actorToken: operator.token, tokenId });
      assert.equal(
        (await service.client.listApiTokens({ actorToken: operator.token })).apiTokens[0]?.revoked,
        true,
      );
      assert.equal(await auditCount('api_token.issue', `token:${tokenId}`), 1);
      assert.equal(await auditCount('api_token.revoke', `token:${tokenId}`), 1);
    });

    it('records audit entries for operators, with secrets removed, and lists them to admins only, newest first', async () => {
      const operator = await account(ROLE_OPERATOR);
      const customer = await account();
      const entry = {
        clientAddress: '192.0.2.44',
        action: 'flag.set',
        target: 'payment-failure',
        beforeJson: JSON.stringify({ on: false }),
        afterJson: JSON.stringify({ on: true, password: 'hunter2hunter2', nested: { token: 'abc' } }),
      };
      await assert.rejects(
        service.client.recordAudit({ ...entry, actorToken: customer.token }),
        expectStatus(status.PERMISSION_DENIED, 'this needs the operator role'),
      );
      await assert.rejects(
        service.client.recordAudit({ ...entry, actorToken: '' }),
        expectStatus(status.UNAUTHENTICATED, /a token is required/),
      );
      for (const [field, value, reason] of [
        ['action', 'Flag Set', /^action: /],
        ['beforeJson', '{not json', /^before_json: not JSON$/],
        ['clientAddress', 'somewhere', /^client_address: /],
      ] as const)
        await assert.rejects(
          service.client.recordAudit({ ...entry, actorToken: operator.token, [field]: value }),
          expectStatus(status.INVALID_ARGUMENT, reason),
        );
      const { record } = await service.client.recordAudit({ ...entry, actorToken: operator.token });
      assert.equal(record?.actor, `customer:${operator.id}`);
      assert.equal(record?.clientAddress, '192.0.2.44');
      assert.deepEqual(JSON.parse(record?.afterJson ?? ''), {
        on: true,
        password: '[redacted]',
        nested: { token: '[redacted]' },
      });
      await service.client.recordAudit({ ...entry, target: 'catalog-slow', actorToken: operator.token });

      for (const actor of [operator, customer])
        await assert.rejects(
          service.client.listAudit({ actorToken: actor.token, limit: 0, action: '' }),
          expectStatus(status.PERMISSION_DENIED, 'this needs the admin role'),
        );
      const { records } = await service.client.listAudit({
        actorToken: BOOTSTRAP_TOKEN,
        limit: 2,
        action: 'flag.set',
      });
      assert.deepEqual(
        records.map((r) => r.target),
        ['catalog-slow', 'payment-failure'],
      );
      await assert.rejects(
        service.client.listAudit({ actorToken: BOOTSTRAP_TOKEN, limit: -1, action: '' }),
        expectStatus(status.INVALID_ARGUMENT, 'limit: must not be negative'),
      );
    });

    it('keeps the audit log append-only: the database refuses UPDATE, DELETE and TRUNCATE', async () => {
      const operator = await account(ROLE_OPERATOR);
      const { record } = await service.client.recordAudit({
        actorToken: operator.token,
        clientAddress: '',
        action: 'stock.restock',
        target: 'OLJCESPC7Z',
        beforeJson: '{"quantity":1}',
        afterJson: '{"quantity":11}',
      });
      for (const statement of [
        `UPDATE ${store.schema}.audit_log SET after_json = '{}' WHERE id = $1`,
        `DELETE FROM ${store.schema}.audit_log WHERE id = $1`,
      ])
        await assert.rejects(store.db.query(statement, [record?.auditId]), /audit_log is append-only/);
      await assert.rejects(store.db.exec(`TRUNCATE ${store.schema}.audit_log`), /append-only/);
      const [row] = await store.db.query<{ after_json: string }>(
        `SELECT after_json FROM ${store.schema}.audit_log WHERE id = $1`,
        [record?.auditId],
      );
      assert.equal(row?.after_json, '{"quantity":11}');
    });
  });
}

for (const [name, open] of storeVariants('auth_test', 'auth', { poolSize: 4 })) adminSuite(name, open);
