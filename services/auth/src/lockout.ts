import type { LockoutScope } from './metrics.js';
import type { AuthRepository } from './repository.js';

/** How many failed sign-ins lock what out, and for how long a failure counts. */
export interface LockoutPolicy {
  /** Failures of one account within the window that lock it. */
  readonly accountFailures: number;
  /** Failures from one client address within the window, whatever accounts, that lock it. */
  readonly addressFailures: number;
  readonly windowMs: number;
}

export interface Lockout {
  readonly scope: LockoutScope;
  /** When the oldest failure that locks leaves the window: a sign-in is taken again from then. */
  readonly until: Date;
}

/**
 * The lockout in force for a sign-in to `email` from `address` at `now`, if any: the account's
 * first, then the address's. Counted from login_attempts, so every instance of the service agrees.
 */
export async function lockoutOf(
  repository: AuthRepository,
  policy: LockoutPolicy,
  email: string,
  address: string | undefined,
  now: Date,
): Promise<Lockout | undefined> {
  const since = new Date(now.getTime() - policy.windowMs);
  const locks = (failures: readonly Date[], limit: number): Date | undefined => {
    const oldest = failures[limit - 1];
    return failures.length >= limit && oldest ? new Date(oldest.getTime() + policy.windowMs) : undefined;
  };
  const account = locks(
    await repository.accountFailures(email, since, policy.accountFailures),
    policy.accountFailures,
  );
  if (account) return { scope: 'account', until: account };
  if (!address) return undefined;
  const byAddress = locks(
    await repository.addressFailures(address, since, policy.addressFailures),
    policy.addressFailures,
  );
  return byAddress ? { scope: 'address', until: byAddress } : undefined;
}
