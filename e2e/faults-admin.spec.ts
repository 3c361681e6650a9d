import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createFrontend, readFrontendConfig } from '@glasshouse/frontend';
import {
  ServiceMetrics,
  allOffDocument,
  createLogger,
  envReader,
  parseFlagsDocument,
  renderFlagsDocument,
  settingOf,
} from '@glasshouse/kit';
import { auth } from '@glasshouse/contracts';
import type { InProcessShop } from '@glasshouse/testing';
import { backendsFor, csrfTokenOf, startInProcessShop } from '@glasshouse/testing';

/**
 * The admin page and API of the failure scenarios: nothing changes without the admin token
 * (401 without, 403 with a wrong one), a form needs its CSRF token, and every accepted change
 * leaves exactly one audit record in the store and in the log.
 */

const TOKEN = 'a'.repeat(64);

describe('the failure scenarios admin (frontend)', { timeout: 60_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'glasshouse-admin-'));
  const flagsFile = join(dir, 'flags.json');
  const auditFile = join(dir, 'audit.jsonl');
  const logs: string[] = [];
  let shop: InProcessShop;
  let app: FastifyInstance;

  const flags = () => parseFlagsDocument(readFileSync(flagsFile, 'utf8'));
  const audit = (): Record<string, unknown>[] => {
    try {
      return readFileSync(auditFile, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    } catch {
      return [];
    }
  };

  before(async () => {
    writeFileSync(flagsFile, renderFlagsDocument(allOffDocument()));
    // The shop's auth takes TOKEN as its bootstrap token, as `npm start` shares var/admin-token.
    shop = await startInProcessShop({ env: { GLASSHOUSE_ADMIN_TOKEN: TOKEN } });
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logs.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    });
    app = createFrontend(
      readFrontendConfig(
        envReader({ FLAGS_FILE: flagsFile, FLAGS_AUDIT_FILE: auditFile, GLASSHOUSE_ADMIN_TOKEN: TOKEN }),
      ),
      {
        logger: createLogger({ serviceName: 'frontend', level: 'info', destination }),
        metrics: new ServiceMetrics({ defaultMetrics: false }),
        addReadinessCheck: () => undefined,
        onShutdown: () => undefined,
        // The order admin's clients are dialled from here; the pages' backends are given.
        client: shop.dial(new ServiceMetrics({ defaultMetrics: false })),
        backends: backendsFor(shop),
      },
    );
  });
  after(async () => {
    await app?.close();
    await shop?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses changes without the token (401) or with a wrong one (403), and changes nothing', async () => {
    const before = readFileSync(flagsFile, 'utf8');
    const post = (headers: Record<string, string>) =>
      app.inject({
        method: 'POST',
        url: '/admin/flags/payment-failure',
        headers: { 'content-type': 'application/json', ...headers },
        payload: { on: true, values: { rate: 0.5 } },
      });
    assert.equal((await post({})).statusCode, 401);
    assert.equal((await post({ authorization: `Bearer ${'b'.repeat(64)}` })).statusCode, 403);
    assert.equal((await app.inject({ url: '/api/admin/flags' })).statusCode, 401);
    assert.equal((await app.inject({ url: '/admin' })).statusCode, 401);
    assert.equal(readFileSync(flagsFile, 'utf8'), before);
    assert.deepEqual(audit(), []);
  });

  it('switches with the Bearer token: one audit record (who, what, when, old, new) and one log line per change', async () => {
    const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
    const on = await app.inject({
      method: 'POST',
      url: '/admin/flags/payment-failure',
      headers: auth,
      payload: { on: true, values: { rate: 0.5 } },
    });
    assert.equal(on.statusCode, 200, on.body);
    assert.deepEqual(settingOf(flags(), 'payment-failure'), { on: true, values: { rate: 0.5 } });
    const bad = await app.inject({
      method: 'POST',
      url: '/admin/flags/payment-failure',
      headers: auth,
      payload: { on: true, values: { rate: 2 } },
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /rate must be between 0 and 1/);
    const records = audit();
    assert.equal(records.length, 1);
    assert.equal(records[0]?.['scenario'], 'payment-failure');
    assert.match(String(records[0]?.['actor']), /^bootstrap@/);
    assert.deepEqual(records[0]?.['old'], { on: false, values: { rate: 0.5 } });
    assert.equal(logs.filter((l) => l.includes('"feature flag switched"')).length, 1);
    const listed = await app.inject({
      url: '/api/admin/flags',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    assert.equal(listed.statusCode, 200);
    assert.ok(listed.body.includes('"payment-failure"'));
  });

  it('signs in with an admin account, lists every scenario with a switch, and needs the form’s CSRF token', async () => {
    const email = 'flags-admin@example.com';
    const password = 'a long enough password';
    const formHeaders = { 'content-type': 'application/x-www-form-urlencoded' };
    const signupPage = await app.inject({ url: '/signup' });
    const jar = (response: { cookies: { name: string; value: string }[] }, into: Record<string, string>) => {
      for (const c of response.cookies) into[c.name] = c.value;
      return into;
    };
    const cookies = jar(signupPage, {});
    const signupToken = csrfTokenOf(signupPage.body) ?? '';
    const signup = await app.inject({
      method: 'POST',
      url: '/signup',
      headers: formHeaders,
      cookies,
      payload: new URLSearchParams({ name: 'Flags Admin', email, password, _csrf: signupToken }).toString(),
    });
    assert.equal(signup.statusCode, 303, signup.body.slice(0, 300));
    jar(signup, cookies);
    await backendsFor(shop).auth.setRole({
      actorToken: TOKEN,
      email,
      role: auth.Role.ROLE_ADMIN,
      clientAddress: '',
    });
    assert.match(
      String(signup.headers['set-cookie']),
      /shop_account=[^;]+; Max-Age=\d+; Path=\/; HttpOnly; SameSite=Lax/,
    );
    const cookie = Object.entries(cookies)
      .map(([name, value]) => `${name}=${value}`)
      .join('; ');
    const page = await app.inject({ url: '/admin', headers: { cookie } });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /data-testid="state-payment-failure">ON</);
    // Every scenario is live now that accounts exist: each has a state and a switch, none is pending.
    assert.match(page.body, /data-testid="state-login-brute-force">off</);
    assert.match(page.body, /action="\/admin\/flags\/login-brute-force"/);
    assert.doesNotMatch(page.body, />pending</);
    const csrf = encodeURIComponent(csrfTokenOf(page.body) ?? '');
    const form = (payload: string) =>
      app.inject({
        method: 'POST',
        url: '/admin/flags/payment-failure',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload,
      });
    assert.equal((await form('on=false')).statusCode, 403, 'no CSRF token');
    assert.equal(settingOf(flags(), 'payment-failure').on, true);
    const switched = await form(`on=false&_csrf=${csrf}`);
    assert.equal(switched.statusCode, 303);
    assert.equal(settingOf(flags(), 'payment-failure').on, false);
    assert.equal(audit().length, 2);
  });
});
