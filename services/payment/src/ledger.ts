import type { Money } from '@glasshouse/money';
import { add, fromNanos, toNanos, zero } from '@glasshouse/money';
import type { CardMethod } from './card.js';

/** A charge as the payment service remembers it. */
export interface Charge {
  readonly amount: Money;
  voided: boolean;
}

/** A charge and its transaction id. */
export interface RecordedCharge extends Readonly<Charge> {
  readonly transactionId: string;
}

/** What is recorded of a new charge: never the card number, only its network and last four digits. */
export interface NewCharge {
  readonly transactionId: string;
  readonly idempotencyKey: string | undefined;
  readonly amount: Money;
  readonly method: CardMethod;
  readonly lastFour: string;
}

export type VoidOutcome = 'voided' | 'already voided' | 'unknown';

/** A refund asked for: `amount` absent means all that is left of the charge. */
export interface NewRefund {
  readonly transactionId: string;
  readonly refundId: string;
  readonly amount: Money | undefined;
  readonly reason: string;
}

export type RefundOutcome =
  | {
      readonly outcome: 'refunded' | 'already refunded';
      readonly refunded: Money;
      readonly refundedTotal: Money;
      readonly method: CardMethod;
    }
  | { readonly outcome: 'unknown charge' | 'voided' }
  | { readonly outcome: 'other currency'; readonly currencyCode: string }
  | { readonly outcome: 'more than is left'; readonly left: Money };

/** Where charges and voids are kept: the service's database, or memory in tests. */
export interface PaymentLedger {
  /** The charge made under this idempotency key and not voided, if any. */
  chargeUnder(idempotencyKey: string): Promise<RecordedCharge | undefined>;
  /**
   * Records a charge; when a charge not voided already holds its idempotency key (a concurrent
   * retry), records nothing and returns that charge instead.
   */
  recordCharge(charge: NewCharge): Promise<RecordedCharge>;
  /** Marks a charge voided; voiding it again changes nothing. */
  voidCharge(transactionId: string, reason: string): Promise<{ outcome: VoidOutcome; amount?: Money }>;
  /** Records a refund of a charge not voided, unless its refund id was recorded before. */
  refundCharge(refund: NewRefund): Promise<RefundOutcome>;
}

/** What a refund may give back, and the outcome, from the charge and the refunds recorded before. */
export function judgeRefund(
  charge: { readonly amount: Money; readonly voided: boolean; readonly method: CardMethod },
  refunded: Money,
  refund: NewRefund,
): RefundOutcome | { outcome: 'allowed'; amount: Money } {
  if (charge.voided) return { outcome: 'voided' };
  const { currencyCode } = charge.amount;
  if (refund.amount && refund.amount.currencyCode !== currencyCode)
    return { outcome: 'other currency', currencyCode };
  const left = toNanos(charge.amount) - toNanos(refunded);
  const wanted = refund.amount ? toNanos(refund.amount) : left;
  if (wanted <= 0n || wanted > left)
    return { outcome: 'more than is left', left: fromNanos(currencyCode, left) };
  return { outcome: 'allowed', amount: fromNanos(currencyCode, wanted) };
}

/**
 * The charges made by this process, by transaction id: the ledger of a service without a
 * database (tests). Bounded: past `capacity` charges the oldest are forgotten (a void that late
 * is NOT_FOUND), so a long load test cannot grow the process without limit.
 */
export class ChargeLedger implements PaymentLedger {
  private readonly charges = new Map<string, Charge>();
  private readonly byIdempotencyKey = new Map<string, string>();
  private readonly methods = new Map<string, CardMethod>();
  private readonly refunds = new Map<string, { transactionId: string; amount: Money }>();

  constructor(private readonly capacity = 100_000) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError('capacity must be a positive integer');
  }

  record(transactionId: string, amount: Money, idempotencyKey?: string): void {
    this.charges.set(transactionId, { amount, voided: false });
    if (idempotencyKey) this.byIdempotencyKey.set(idempotencyKey, transactionId);
    // Maps iterate in insertion order, so the first key is the oldest charge.
    for (const oldest of this.charges.keys()) {
      if (this.charges.size <= this.capacity) break;
      this.charges.delete(oldest);
    }
    for (const key of this.byIdempotencyKey.keys()) {
      if (this.byIdempotencyKey.size <= this.capacity) break;
      this.byIdempotencyKey.delete(key);
    }
  }

  /** The transaction already made under this idempotency key, if any. */
  transactionFor(idempotencyKey: string): string | undefined {
    return this.byIdempotencyKey.get(idempotencyKey);
  }

  find(transactionId: string): Readonly<Charge> | undefined {
    return this.charges.get(transactionId);
  }

  /** Marks a charge voided; voiding it again changes nothing. */
  void(transactionId: string): VoidOutcome {
    const charge = this.charges.get(transactionId);
    if (!charge) return 'unknown';
    if (charge.voided) return 'already voided';
    charge.voided = true;
    return 'voided';
  }

  get size(): number {
    return this.charges.size;
  }

  chargeUnder(idempotencyKey: string): Promise<RecordedCharge | undefined> {
    const transactionId = this.transactionFor(idempotencyKey);
    const charge = transactionId === undefined ? undefined : this.find(transactionId);
    return Promise.resolve(
      transactionId === undefined || !charge || charge.voided ? undefined : { transactionId, ...charge },
    );
  }

  recordCharge(charge: NewCharge): Promise<RecordedCharge> {
    this.record(charge.transactionId, charge.amount, charge.idempotencyKey);
    this.methods.set(charge.transactionId, charge.method);
    return Promise.resolve({ transactionId: charge.transactionId, amount: charge.amount, voided: false });
  }

  voidCharge(transactionId: string): Promise<{ outcome: VoidOutcome; amount?: Money }> {
    const outcome = this.void(transactionId);
    const amount = this.find(transactionId)?.amount;
    return Promise.resolve(amount ? { outcome, amount } : { outcome });
  }

  refundCharge(refund: NewRefund): Promise<RefundOutcome> {
    const charge = this.find(refund.transactionId);
    if (!charge) return Promise.resolve({ outcome: 'unknown charge' });
    const method = this.methods.get(refund.transactionId) ?? 'unknown';
    const refundedTotal = (): Money =>
      [...this.refunds.values()]
        .filter((r) => r.transactionId === refund.transactionId)
        .reduce((total, r) => add(total, r.amount), zero(charge.amount.currencyCode));
    const before = this.refunds.get(refund.refundId);
    if (before) {
      return Promise.resolve({
        outcome: 'already refunded',
        refunded: before.amount,
        refundedTotal: refundedTotal(),
        method,
      });
    }
    const verdict = judgeRefund({ ...charge, method }, refundedTotal(), refund);
    if (verdict.outcome !== 'allowed') return Promise.resolve(verdict);
    this.refunds.set(refund.refundId, { transactionId: refund.transactionId, amount: verdict.amount });
    return Promise.resolve({
      outcome: 'refunded',
      refunded: verdict.amount,
      refundedTotal: refundedTotal(),
      method,
    });
  }
}
