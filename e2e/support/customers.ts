import { randomBytes } from 'node:crypto';
import { setTimeout as pause } from 'node:timers/promises';
import { WebShopper } from '@glasshouse/testing';

/** Customers walking the account forms in the background of a test. */
export interface Customers {
  /** Stops after the walk in progress; idempotent. */
  stop(): Promise<void>;
}

/**
 * Every `paceMs`, at most `walks` times: a new customer signs up (and so in), opens the home
 * page signed in, and mistypes the password once — auth serves SignUp, Login, VerifyToken and a
 * refused Login, so its call and error panels have data. The frontend's sign-in limit must be
 * off (SIGNIN_RATE_LIMIT=0): every walk comes from 127.0.0.1.
 */
export function startCustomers(shopUrl: string, { paceMs = 2_000, walks = 150 } = {}): Customers {
  const stopping = new AbortController();
  const walk = async (n: number): Promise<void> => {
    const customer = new WebShopper(shopUrl);
    const email = `customer.${n}.${randomBytes(4).toString('hex')}@example.org`;
    await customer.submit('/signup', '/signup', {
      email,
      name: 'Panel Reader',
      password: 'reads-the-panels-2718',
    });
    await customer.get('/');
    await customer.submit('/login', '/login', { email, password: 'not-the-password' });
  };
  const done = (async () => {
    for (let n = 0; n < walks && !stopping.signal.aborted; n++) {
      // A refused or failed walk is part of the traffic, not a test failure: the panels read both.
      await walk(n).catch(() => undefined);
      await pause(paceMs, undefined, { signal: stopping.signal }).catch(() => undefined);
    }
  })();
  return {
    stop: async () => {
      stopping.abort();
      await done;
    },
  };
}
