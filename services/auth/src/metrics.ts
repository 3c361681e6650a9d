import type { ServiceMetrics } from '@glasshouse/kit';
import type { AttemptOutcome } from './repository.js';

export type LockoutScope = 'account' | 'address';
export type SignUpResult = 'created' | 'taken' | 'invalid';

/** The auth service's business metrics. Labels never carry an email, an address or a token. */
export interface AuthMetrics {
  loginAttempt(result: AttemptOutcome): void;
  lockoutStarted(scope: LockoutScope): void;
  signUp(result: SignUpResult): void;
  activeSessions(count: number): void;
}

export function authMetrics(metrics: ServiceMetrics): AuthMetrics {
  const attempts = metrics.counter(
    'auth_login_attempts_total',
    'Sign-in attempts by result: success, failure (wrong email or password), locked (refused while locked out).',
    ['result'],
  );
  const lockouts = metrics.counter(
    'auth_lockouts_total',
    'Lockouts begun, by scope: an account, or a client address.',
    ['scope'],
  );
  const signUps = metrics.counter('auth_signups_total', 'SignUp calls by result: created, taken, invalid.', [
    'result',
  ]);
  const sessions = metrics.gauge('auth_sessions_active', 'Sessions neither expired nor revoked.', []);
  // Series exist from the start, so rate() and the brute-force alert work before the first attempt.
  for (const result of ['success', 'failure', 'locked']) attempts.inc({ result }, 0);
  for (const scope of ['account', 'address']) lockouts.inc({ scope }, 0);
  for (const result of ['created', 'taken', 'invalid']) signUps.inc({ result }, 0);
  return {
    loginAttempt: (result) => attempts.inc({ result }),
    lockoutStarted: (scope) => lockouts.inc({ scope }),
    signUp: (result) => signUps.inc({ result }),
    activeSessions: (count) => sessions.set(count),
  };
}
