import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { auth } from '@glasshouse/contracts';
import {
  ServiceMetrics,
  allOffDocument,
  createLogger,
  envReader,
  renderFlagsDocument,
  withSetting,
} from '@glasshouse/kit';
import type { InProcessShop } from '@glasshouse/testing';
import { backendsFor, startInProcessShop } from '@glasshouse/testing';
import type { Backends } from './backends.js';
import { createFrontend, readFrontendConfig } from './index.js';
import { Visitor } from './spec-support.js';

const PASSWORD = 'a long enough password';

/** Every route of the app under /admin or /api/admin, as "METHOD /path" with parameters filled in. */
function adminRoutes(app: FastifyInstance): string[] {
  const routes = new Set<string>();
  // printRoutes draws a tree: each line's depth is where its branch starts, its path the parent's plus its own.
  const prefixes: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^(.*?)[├└]── (\S+)(?: \(([^)]+)\))?/.exec(line);
    if (!match) continue;
    const depth = (match[1] ?? '').length / 4;
    const path = (prefixes[depth - 1] ?? '') + (match[2] ?? '');
    prefixes[depth] = path;
    prefixes.length = depth + 1;
    if (!/^\/(?:api\/)?admin(?:\/|$)/.test(path)) continue;
    for (const method of (match[3] ?? '').split(', '))
      if (method === 'GET' || method === 'POST')
        routes.add(`${method} ${path.replace(/:[A-Za-z]+/g, '0f7a2f0e-9c1d-4d8e-8b1a-3c2e1d0a9b8c')}`);
  }
  return [...routes].sort();
}

/**
 * The admin pages and API against the real auth service: no way in without credentials (401) or
 * with a customer's (403); operators and admins by session or Bearer token; each admin change in
 * auth's audit log exactly once.
 */
describe('admin access and audit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'glasshouse-admin-access-'));
  const flagsFile = join(dir, 'flags.json');
  const auditFile = join(dir, 'audit.jsonl');
  let shop: InProcessShop;
  let backends: Backends;
  let app: FastifyInstance;
  let bootstrap = '';
  let frontendMetrics: ServiceMetrics;
  const frontendLines: string[] = [];
  /** Every password and token the spec used, none of which may be logged or exposed. */
  const secrets = new Set<string>([PASSWORD]);

  const account = async (name: string, role?: auth.Role): Promise<{ visitor: Visitor; email: string }> => {
    const email = `${name}-${Math.random().toString(36).slice(2, 8)}@example.com`;
    const visitor = new Visitor(app);
    await visitor.get('/signup');
    assert.equal((await visitor.post('/signup', { name, email, password: PASSWORD })).statusCode, 303);
    if (role !== undefined)
      await backends.auth.setRole({ actorToken: bootstrap, email, role, clientAddress: '' });
    await visitor.get('/');
    secrets.add(visitor.cookies.get('shop_account') ?? PASSWORD);
    return { visitor, email };
  };
  const audits = async (action: string) =>
    (await backends.auth.listAudit({ actorToken: bootstrap, limit: 100, action })).records;
  const flagsAuditLines = () => readFileSync(auditFile, 'utf8').trim().split('\n').filter(Boolean);

  before(async () => {
    writeFileSync(flagsFile, renderFlagsDocument(allOffDocument()));
    writeFileSync(auditFile, '');
    shop = await startInProcessShop({ logLevel: 'debug' });
    bootstrap = shop.bootstrapToken;
    secrets.add(bootstrap);
    backends = backendsFor(shop);
    const metrics = new ServiceMetrics({ defaultMetrics: false });
    frontendMetrics = metrics;
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        frontendLines.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    });
    app = createFrontend(
      readFrontendConfig(
        envReader({ FLAGS_FILE: flagsFile, FLAGS_AUDIT_FILE: auditFile, GLASSHOUSE_ADMIN_TOKEN: bootstrap }),
      ),
      {
        logger: createLogger({ serviceName: 'frontend', level: 'debug', destination }),
        metrics,
        addReadinessCheck: () => undefined,
        onShutdown: () => undefined,
        client: shop.dial(metrics),
        backends,
      },
    );
    await app.ready();
  });
  after(async () => {
    await app?.close();
    await shop?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers every admin route and API 401 without credentials and 403 with a customer’s', async () => {
    const routes = [
      ...adminRoutes(app).filter((r) => r !== 'GET /admin/login'),
      'GET /orders?customer=0f7a2f0e-9c1d',
    ];
    for (const expected of [
      'GET /admin',
      'GET /admin/audit',
      'GET /admin/tokens',
      'POST /admin/tokens',
      'GET /api/admin/flags',
      'GET /api/admin/audit',
    ])
      assert.ok(routes.includes(expected), `${expected} in ${routes.join(', ')}`);
    assert.ok(routes.some((r) => r.startsWith('POST /admin/flags/')));
    // The failure switches, tokens, audit log and the order admin's pages and API, plus /orders?customer=.
    assert.ok(routes.length >= 13, `${routes.length} routes: ${routes.join(', ')}`);
    const { visitor: customer } = await account('Carol');
    for (const route of routes) {
      const [method, url] = route.split(' ') as ['GET' | 'POST', string];
      const anonymous = await app.inject({
        method,
        url,
        ...(method === 'POST'
          ? { headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'on=true' }
          : {}),
      });
      assert.equal(
        anonymous.statusCode,
        401,
        `${route} without credentials: ${anonymous.body.slice(0, 200)}`,
      );
      const asCustomer =
        method === 'GET' ? await customer.get(url) : await customer.post(url, { on: 'true' });
      assert.equal(asCustomer.statusCode, 403, `${route} as a customer: ${asCustomer.body.slice(0, 200)}`);
      const unknownBearer = await app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${'f'.repeat(64)}` },
      });
      assert.equal(unknownBearer.statusCode, 403, `${route} with an unknown token`);
    }
    assert.equal(flagsAuditLines().length, 0, 'nothing changed');
    assert.equal((await audits('flag.set')).length, 0);
  });

  it('sends a browser without a session to the sign-in page from the admin page', async () => {
    const page = await app.inject({ url: '/admin' });
    assert.equal(page.statusCode, 401);
    assert.match(page.body, /href="\/login\?next=%2Fadmin"/);
    assert.equal((await app.inject({ url: '/admin/login' })).headers.location, '/login?next=/admin');
  });

  it('records an admin’s flag change in the audit log exactly once: who, what, from where, before and after', async () => {
    const { visitor: admin } = await account('Alan', auth.Role.ROLE_ADMIN);
    const page = await admin.get('/admin');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /data-testid="state-payment-failure">off</);
    const before = await audits('flag.set');
    const refused = await admin.post('/admin/flags/payment-failure', { on: 'true' }, { withToken: false });
    assert.equal(refused.statusCode, 403, 'a session’s form needs its CSRF token');
    const switched = await admin.post('/admin/flags/payment-failure', { on: 'true' });
    assert.equal(switched.statusCode, 303);
    const after = await audits('flag.set');
    assert.equal(after.length, before.length + 1);
    const [record] = after;
    const { customerId } =
      (await backends.auth.verifyToken({ token: admin.cookies.get('shop_account') ?? '' })).customer ?? {};
    assert.equal(record?.actor, `customer:${customerId}`);
    assert.equal(record?.target, 'scenario:payment-failure');
    assert.equal(record?.clientAddress, '127.0.0.1');
    assert.equal((JSON.parse(record?.beforeJson ?? '{}') as { on?: boolean }).on, false);
    assert.equal((JSON.parse(record?.afterJson ?? '{}') as { on?: boolean }).on, true);
    assert.equal(flagsAuditLines().length, 1, 'and once in the flags audit file');
    // The same state again changes nothing and records nothing.
    await admin.get('/admin');
    const again = await admin.post('/admin/flags/payment-failure', { on: 'true' });
    assert.equal(again.statusCode, 303);
    assert.equal((await audits('flag.set')).length, after.length);
    // The audit log page lists it, for admins.
    const log = await admin.get('/admin/audit');
    assert.equal(log.statusCode, 200);
    assert.match(log.body, /data-testid="audit-action">flag\.set</);
  });

  it('shows the admin a game day’s hidden scenario as on and hidden', async () => {
    const { visitor: admin } = await account('Grace', auth.Role.ROLE_ADMIN);
    const before = readFileSync(flagsFile, 'utf8');
    const hidden = { on: true, values: { 'delay-ms': 800 }, hidden: true };
    writeFileSync(flagsFile, renderFlagsDocument(withSetting(allOffDocument(), 'catalog-slow', hidden)));
    try {
      const page = await admin.get('/admin');
      assert.match(page.body, /data-testid="state-catalog-slow">ON \(hidden: game day\)</);
      assert.match(page.body, /data-testid="state-payment-failure">off</);
    } finally {
      writeFileSync(flagsFile, before);
    }
  });

  it('takes the bootstrap token as an admin’s Bearer credential, audited as bootstrap', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/admin/flags/payment-failure',
      headers: { authorization: `Bearer ${bootstrap}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ on: false }),
    });
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.json<{ changed: boolean }>().changed, true);
    const [latest] = await audits('flag.set');
    assert.equal(latest?.actor, 'bootstrap');
    const listed = await app.inject({
      url: '/api/admin/audit',
      headers: { authorization: `Bearer ${bootstrap}` },
    });
    assert.equal(listed.statusCode, 200);
  });

  it('lets an operator switch flags and keep machine tokens, but not read the audit log', async () => {
    const { visitor: operator } = await account('Olga', auth.Role.ROLE_OPERATOR);
    assert.equal((await operator.get('/admin')).statusCode, 200);
    assert.equal((await operator.get('/admin/audit')).statusCode, 403);
    assert.equal((await operator.get('/orders?customer=0f7a2f0e-9c1d')).statusCode, 403);
    await operator.get('/admin/tokens');
    const issued = await operator.post('/admin/tokens', { label: 'fault script' });
    assert.equal(issued.statusCode, 200);
    const token = /data-testid="issued-token">([^<]+)</.exec(issued.body)?.[1] ?? '';
    assert.ok(token.length >= 32, 'the new token is shown once');
    secrets.add(token);
    const bearer = { authorization: `Bearer ${token}` };
    assert.equal((await app.inject({ url: '/api/admin/flags', headers: bearer })).statusCode, 200);
    assert.equal((await app.inject({ url: '/api/admin/audit', headers: bearer })).statusCode, 403);
    const tokenId = /data-testid="token-([0-9a-f-]{36})"/.exec(issued.body)?.[1] ?? '';
    assert.ok(tokenId);
    const revoked = await operator.post(`/admin/tokens/${tokenId}/revoke`);
    assert.equal(revoked.statusCode, 303);
    assert.equal((await app.inject({ url: '/api/admin/flags', headers: bearer })).statusCode, 403);
    assert.match((await operator.get('/admin/tokens')).body, /revoked/);
  });

  it('shows another customer’s orders to an admin only, and audits the reading', async () => {
    const { visitor: admin } = await account('Ada', auth.Role.ROLE_ADMIN);
    const before = (await audits('orders.read')).length;
    const page = await admin.get('/orders?customer=0f7a2f0e-9c1d-4d8e');
    assert.equal(page.statusCode, 200);
    const records = await audits('orders.read');
    assert.equal(records.length, before + 1);
    assert.equal(records[0]?.target, 'customer:0f7a2f0e-9c1d-4d8e');
    assert.equal((await admin.get('/orders?customer=<script>')).statusCode, 400);
  });

  it('writes no password or token into any log line or metric of the frontend or the shop', async () => {
    assert.ok(secrets.size >= 6, `${secrets.size} secrets used`);
    assert.ok(frontendLines.length > 20 && shop.logs.length > 20, 'a real amount of logging');
    const texts = [
      ...frontendLines.map((line) => ({ where: 'frontend log', text: line })),
      ...shop.logs.map((line) => ({ where: 'shop log', text: line })),
      { where: 'frontend /metrics', text: (await frontendMetrics.scrape()).body },
      { where: 'auth /metrics', text: (await shop.metricsOf('auth').scrape()).body },
    ];
    const leaks = texts.flatMap(({ where, text }) =>
      [...secrets]
        .filter((secret) => text.includes(secret))
        .map((secret) => `${where}: ${secret.slice(0, 6)}…`),
    );
    assert.deepEqual(leaks, []);
  });
});
