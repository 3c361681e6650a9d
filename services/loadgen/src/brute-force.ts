import { randomBytes } from 'node:crypto';
import type { FeatureFlags, Logger, ServiceMetrics } from '@glasshouse/kit';
import { CookieJar } from './cookie-jar.js';
import { SYNTHETIC_BAGGAGE } from './shopper.js';

/** The accounts the attacker guesses passwords of (whether or not they exist, each is a failure). */
export const ATTACKED_ACCOUNTS: readonly string[] = Object.freeze([
  'ada.victim@example.com',
  'grace.victim@example.com',
  'alan.victim@example.com',
]);

/**
 * The addresses it claims to come from (RFC 5737 documentation ranges), in X-Forwarded-For: the
 * frontend believes them only behind a trusted proxy (TRUST_PROXY); otherwise every attempt is
 * the load generator's own address, which the per-address limits then hold.
 */
export const ATTACKER_ADDRESSES: readonly string[] = Object.freeze([
  '203.0.113.10',
  '203.0.113.11',
  '198.51.100.23',
]);

const TICK_MS = 1000;
const REQUEST_TIMEOUT_MS = 5000;
/** Attempts in flight at most: a slow shop slows the attack down instead of piling it up. */
const MAX_IN_FLIGHT = 50;
const USER_AGENT = 'glasshouse-loadgen/0.1 (login brute force)';
const CSRF_TOKEN = /name="_csrf" value="([^"]+)"/;

export type AttemptResult = 'refused' | 'locked' | 'signed_in' | 'rejected' | 'error';

/** What an answer to POST /login says about the guess. */
export function attemptResult(status: number): AttemptResult {
  if (status === 401) return 'refused';
  if (status === 429) return 'locked';
  if (status === 303 || status === 302) return 'signed_in';
  return status < 500 ? 'rejected' : 'error';
}

interface Attacker {
  readonly address: string;
  readonly jar: CookieJar;
  token?: string;
}

export interface BruteForceOptions {
  readonly target: URL;
  readonly flags: FeatureFlags;
  readonly metrics: ServiceMetrics;
  readonly logger: Logger;
  /** Picks among accounts and addresses; Math.random by default. */
  readonly random?: () => number;
}

/**
 * The login-brute-force scenario: while its flag is on, `attempts-per-second` sign-ins with
 * guessed passwords against ATTACKED_ACCOUNTS, from ATTACKER_ADDRESSES, through the shop's own
 * sign-in form (CSRF token and all). Returns the stop function.
 */
export function followLoginBruteForce(options: BruteForceOptions): () => void {
  const { target, flags, logger } = options;
  const random = options.random ?? Math.random;
  const attempts = options.metrics.counter(
    'loadgen_brute_force_attempts_total',
    'Guessed sign-ins of the login-brute-force scenario, by what the shop answered.',
    ['result'],
  );
  const attackers: Attacker[] = ATTACKER_ADDRESSES.map((address) => ({ address, jar: new CookieJar() }));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  let inFlight = 0;
  let wasOn = false;
  let wasHidden = false;

  const headers = (attacker: Attacker, form: boolean): Record<string, string> => ({
    'user-agent': USER_AGENT,
    baggage: SYNTHETIC_BAGGAGE,
    'x-forwarded-for': attacker.address,
    ...(attacker.jar.header() ? { cookie: attacker.jar.header() ?? '' } : {}),
    ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
  });

  /** The sign-in form's CSRF token, fetched once per attacker and again after a refusal. */
  const tokenOf = async (attacker: Attacker): Promise<string | undefined> => {
    if (attacker.token) return attacker.token;
    const response = await fetch(new URL('/login', target), {
      headers: headers(attacker, false),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    attacker.jar.store(response.headers.getSetCookie());
    attacker.token = CSRF_TOKEN.exec(await response.text())?.[1];
    return attacker.token;
  };

  const attempt = async (): Promise<void> => {
    const attacker = pick(attackers);
    try {
      const token = await tokenOf(attacker);
      const body = new URLSearchParams({
        email: pick(ATTACKED_ACCOUNTS),
        password: randomBytes(9).toString('base64url'),
        ...(token ? { _csrf: token } : {}),
      });
      const response = await fetch(new URL('/login', target), {
        method: 'POST',
        redirect: 'manual',
        headers: headers(attacker, true),
        body: body.toString(),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      attacker.jar.store(response.headers.getSetCookie());
      await response.arrayBuffer();
      const result = attemptResult(response.status);
      // A refused token (403) is fetched again next time.
      if (result === 'rejected') attacker.token = undefined;
      attempts.inc({ result });
    } catch {
      attempts.inc({ result: 'error' });
    }
  };

  const timer = setInterval(() => {
    const on = flags.isOn('login-brute-force');
    const hidden = flags.isHidden('login-brute-force');
    // A game day's guessing shows only in what it does to the shop.
    if (on !== wasOn && !hidden && !wasHidden) {
      logger.info({ 'feature_flag.key': 'login-brute-force', on }, 'login brute force switched');
    }
    wasOn = on;
    wasHidden = hidden;
    if (!on) return;
    const perSecond = flags.number('login-brute-force', 'attempts-per-second', 20);
    // Spread over the second, so the shop sees a steady stream rather than bursts.
    for (let i = 0; i < perSecond; i++) {
      setTimeout(
        () => {
          if (inFlight >= MAX_IN_FLIGHT) return void attempts.inc({ result: 'skipped' });
          inFlight++;
          void attempt().finally(() => inFlight--);
        },
        (i * TICK_MS) / perSecond,
      ).unref();
    }
  }, TICK_MS);
  timer.unref();
  return () => clearInterval(timer);
}
