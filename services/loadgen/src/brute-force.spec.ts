import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildFrontend } from '@glasshouse/frontend';
import { FixedFeatureFlags, ServiceMetrics, createLogger } from '@glasshouse/kit';
import { waitFor } from '@glasshouse/kit/testing';
import type { InProcessShop } from '@glasshouse/testing';
import { backendsFor, counterValue, startInProcessShop } from '@glasshouse/testing';
import {
  ATTACKED_ACCOUNTS,
  ATTACKER_ADDRESSES,
  attemptResult,
  followLoginBruteForce,
} from './brute-force.js';

const logger = createLogger({ serviceName: 'loadgen-test', level: 'silent' });

describe('the login-brute-force scenario', () => {
  let shop: InProcessShop;
  let frontend: FastifyInstance;
  let target: URL;

  before(async () => {
    // Small limits, so a few seconds of guessing reach them; the frontend behind a trusted proxy,
    // as in a cluster, so each claimed address is its own.
    shop = await startInProcessShop({
      logLevel: 'warn',
      env: { AUTH_LOCKOUT_ACCOUNT_FAILURES: '3', AUTH_LOCKOUT_ADDRESS_FAILURES: '6' },
    });
    frontend = buildFrontend({
      backends: backendsFor(shop),
      logger,
      metrics: new ServiceMetrics({ defaultMetrics: false }),
      trustProxy: true,
    });
    target = new URL(await frontend.listen({ host: '127.0.0.1', port: 0 }));
  });
  after(async () => {
    await frontend?.close();
    await shop?.stop();
  });

  it('reads what the shop answered', () => {
    assert.equal(attemptResult(401), 'refused');
    assert.equal(attemptResult(429), 'locked');
    assert.equal(attemptResult(303), 'signed_in');
    assert.equal(attemptResult(403), 'rejected');
    assert.equal(attemptResult(503), 'error');
  });

  it('guesses passwords through the sign-in form while on, until auth locks the accounts out, and stops when off', async () => {
    const flags = new FixedFeatureFlags();
    const metrics = new ServiceMetrics({ defaultMetrics: false });
    const stop = followLoginBruteForce({ target, flags, metrics, logger });
    const auth = shop.metricsOf('auth');
    const refusedAtAuth = async () =>
      (await counterValue(auth, 'auth_login_attempts_total', { result: 'failure' })) +
      (await counterValue(auth, 'auth_login_attempts_total', { result: 'locked' }));
    try {
      assert.equal(await refusedAtAuth(), 0);
      flags.set('login-brute-force', { 'attempts-per-second': 8 });
      await waitFor(async () => (await counterValue(auth, 'auth_lockouts_total', {})) >= 1, {
        timeoutMs: 60_000,
        what: 'a lockout at auth',
      });
      await waitFor(
        async () =>
          (await counterValue(metrics, 'loadgen_brute_force_attempts_total', { result: 'locked' })) >= 1,
        {
          timeoutMs: 30_000,
          what: 'a guess answered 429',
        },
      );
      assert.ok(
        (await counterValue(metrics, 'loadgen_brute_force_attempts_total', { result: 'refused' })) >= 1,
      );
      assert.equal(
        await counterValue(metrics, 'loadgen_brute_force_attempts_total', { result: 'signed_in' }),
        0,
      );
      assert.equal(
        await counterValue(metrics, 'loadgen_brute_force_attempts_total', { result: 'rejected' }),
        0,
      );
      flags.set('login-brute-force', undefined);
      // What was in flight lands; then nothing more reaches auth.
      let settled = -1;
      await waitFor(
        async () => {
          const now = await refusedAtAuth();
          const same = now === settled;
          settled = now;
          return same;
        },
        { timeoutMs: 20_000, intervalMs: 1500, what: 'the guessing to stop' },
      );
      assert.ok(settled > 0);
    } finally {
      stop();
    }
    // auth's lockouts name the attacked accounts (masked) and the claimed addresses.
    const lockouts = shop.logs
      .map((line) => JSON.parse(line) as Record<string, string | undefined>)
      .filter((line) => line.message === 'lockout started');
    assert.ok(lockouts.length > 0);
    const masked = ATTACKED_ACCOUNTS.map((email) => `${email[0]}***${email.slice(email.indexOf('@'))}`);
    for (const line of lockouts) {
      assert.ok(masked.includes(line.email ?? ''), line.email);
      const address = line['client.address'];
      if (address !== undefined) assert.ok(ATTACKER_ADDRESSES.includes(address), address);
    }
  });
});
