import type { Money } from '@glasshouse/money';
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
}

/**
 * The charges made by this process, by transaction id: the ledger of a service without a
 * database (tests). Bounded: past `capacity` charges the oldest are forgotten (a void that late
 * is NOT_FOUND), so a long load test cannot grow the process without limit.
 */
export class ChargeLedger implements PaymentLedger {
  private readonly charges = new Map<string, Charge>();
  private readonly byIdempotencyKey = new Map<string, string>();

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
    return Promise.resolve({ transactionId: charge.transactionId, amount: charge.amount, voided: false });
  }

  voidCharge(transactionId: string): Promise<{ outcome: VoidOutcome; amount?: Money }> {
    const outcome = this.void(transactionId);
    const amount = this.find(transactionId)?.amount;
    return Promise.resolve(amount ? { outcome, amount } : { outcome });
  }
}
