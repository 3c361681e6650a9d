import type { Money } from '@glasshouse/money';

/** A charge as the payment service remembers it. */
export interface Charge {
  readonly amount: Money;
  voided: boolean;
}

export type VoidOutcome = 'voided' | 'already voided' | 'unknown';

/**
 * The charges made by this process, by transaction id, so a charge can be voided when checkout
 * compensates. Bounded: past `capacity` charges the oldest are forgotten (a void that late is
 * NOT_FOUND), so a long load test cannot grow the process without limit.
 */
export class ChargeLedger {
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
}
