import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { auth } from '@glasshouse/contracts';
import { startTracing } from '@glasshouse/kit';
import type { TestStore } from '@glasshouse/kit/testing';
import { openPgliteStore } from '@glasshouse/kit/testing';
import type { RunningAuth } from './spec-support.js';
import { BOOTSTRAP_TOKEN, TEST_CONFIG, startAuth } from './spec-support.js';

const EMAIL = 'Grace.Hopper@Example.com';
const PASSWORD = 'Tr1cky-Passw0rd-for-the-scan';

describe('what the auth service leaves in its spans and logs', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: ReturnType<typeof startTracing>;
  let store: TestStore;
  let service: RunningAuth;
  const secrets: string[] = [PASSWORD, BOOTSTRAP_TOKEN];

  before(async () => {
    tracing = startTracing({ serviceName: 'auth-test', exporters: [exporter], instrumentations: [] });
    store = await openPgliteStore('auth');
    service = await startAuth(store);
    const { client } = service;
    await client.signUp({ email: EMAIL, password: PASSWORD, name: 'Grace', clientAddress: '198.51.100.1' });
    await client.setRole({
      actorToken: BOOTSTRAP_TOKEN,
      email: EMAIL,
      role: auth.Role.ROLE_OPERATOR,
      clientAddress: '',
    });
    const { token } = await client.login({ email: EMAIL, password: PASSWORD, clientAddress: '198.51.100.1' });
    secrets.push(token);
    await client.verifyToken({ token });
    const issued = await client.issueApiToken({ actorToken: token, label: 'scan' });
    secrets.push(issued.token);
    await client.verifyToken({ token: issued.token });
    await client.recordAudit({
      actorToken: issued.token,
      clientAddress: '',
      action: 'flag.set',
      target: 'payment-failure',
      beforeJson: '{}',
      afterJson: JSON.stringify({ password: PASSWORD }),
    });
    for (let i = 0; i <= TEST_CONFIG.lockout.accountFailures; i++) {
      const wrong = `${PASSWORD}-wrong-${i}`;
      secrets.push(wrong);
      await client
        .login({ email: EMAIL, password: wrong, clientAddress: '198.51.100.2' })
        .catch(() => undefined);
    }
    await client.logout({ token });
    await client.verifyToken({ token }).catch(() => undefined);
    await tracing.forceFlush();
  });
  after(async () => {
    await service.stop();
    await store.dispose();
    await tracing.shutdown();
  });

  it('names the business steps, the outcome and the lockout on the sign-in spans', () => {
    const spans = exporter.getFinishedSpans();
    const signIns = spans.filter((s) => s.name === 'sign in');
    assert.deepEqual(
      signIns.map((s) => s.attributes['app.auth.outcome']),
      ['success', ...Array.from({ length: TEST_CONFIG.lockout.accountFailures }, () => 'failure'), 'locked'],
    );
    assert.equal(signIns.at(-1)?.attributes['app.auth.lockout_scope'], 'account');
    const first = signIns[0];
    const children = spans
      .filter((s) => s.parentSpanContext?.spanId === first?.spanContext().spanId)
      .map((s) => s.name);
    for (const step of ['check lockout', 'verify password', 'start session'])
      assert.ok(children.includes(step), `${step} missing from ${children.join(', ')}`);
    const verified = spans
      .filter((s) => s.name === 'verify token')
      .map((s) => s.attributes['app.auth.token_kind']);
    assert.deepEqual(verified.slice(0, 2), ['session', 'api']);
  });

  it('puts no password or token in any span attribute, event or status', () => {
    const spans = exporter.getFinishedSpans();
    assert.ok(spans.length > 20, `only ${spans.length} spans`);
    const text = JSON.stringify(
      spans.map((s) => ({ name: s.name, attributes: s.attributes, events: s.events, status: s.status })),
    );
    for (const secret of secrets)
      assert.ok(!text.includes(secret), `a secret is in the spans: ${secret.slice(0, 6)}…`);
    assert.ok(!text.toLowerCase().includes(EMAIL.toLowerCase()), 'the email is in the spans');
  });

  it('logs the events with masked emails, and no password or token', () => {
    const text = service.logLines.join('');
    for (const message of [
      'customer signed up',
      'sign-in succeeded',
      'sign-in failed',
      'lockout started',
      'sign-in refused while locked out',
      'api token issued',
      'audit recorded',
      'role set',
      'signed out',
    ])
      assert.ok(text.includes(`"message":"${message}"`), `no '${message}' line`);
    for (const secret of secrets)
      assert.ok(!text.includes(secret), `a secret is in the logs: ${secret.slice(0, 6)}…`);
    assert.ok(!text.toLowerCase().includes(EMAIL.toLowerCase()), 'the email is in the logs');
    assert.ok(text.includes('g***@example.com'), 'the masked email is not in the logs');
  });
});
