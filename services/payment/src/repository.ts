import type { Database } from '@glasshouse/kit';
import type { Money } from '@glasshouse/money';
import { add, sum } from '@glasshouse/money';
import type { CardMethod } from './card.js';
import type {
  NewCharge,
  NewRefund,
  PaymentLedger,
  RecordedCharge,
  RefundOutcome,
  VoidOutcome,
} from './ledger.js';
import { judgeRefund } from './ledger.js';

interface PaymentRow {
  transaction_id: string;
  currency_code: string;
  amount_units: bigint | string;
  amount_nanos: number;
  voided_at: Date | string | null;
}

const COLUMNS = 'transaction_id, currency_code, amount_units, amount_nanos, voided_at';

function chargeOf(row: PaymentRow): RecordedCharge {
  return {
    transactionId: row.transaction_id,
    amount: {
      currencyCode: row.currency_code,
      units: BigInt(row.amount_units),
      nanos: Number(row.amount_nanos),
    },
    voided: row.voided_at !== null,
  };
}

/** The payment ledger in the payment service's own schema: charges and voids outlive the process. */
export class PaymentRepository implements PaymentLedger {
  constructor(
    private readonly db: Database,
    private readonly schema: string,
  ) {}

  async chargeUnder(idempotencyKey: string): Promise<RecordedCharge | undefined> {
    const [row] = await this.db.query<PaymentRow>(
      `SELECT ${COLUMNS} FROM ${this.schema}.payments WHERE idempotency_key = $1 AND voided_at IS NULL`,
      [idempotencyKey],
    );
    return row ? chargeOf(row) : undefined;
  }

  async recordCharge(charge: NewCharge): Promise<RecordedCharge> {
    const { amount } = charge;
    // The partial unique index makes a concurrent retry under the same key insert nothing.
    const [inserted] = await this.db.query<PaymentRow>(
      `INSERT INTO ${this.schema}.payments
         (transaction_id, idempotency_key, currency_code, amount_units, amount_nanos, card_method, card_last_four)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (idempotency_key) WHERE idempotency_key IS NOT NULL AND voided_at IS NULL DO NOTHING
       RETURNING ${COLUMNS}`,
      [
        charge.transactionId,
        charge.idempotencyKey ?? null,
        amount.currencyCode,
        amount.units.toString(),
        amount.nanos,
        charge.method,
        charge.lastFour,
      ],
    );
    if (inserted) return chargeOf(inserted);
    const existing = charge.idempotencyKey ? await this.chargeUnder(charge.idempotencyKey) : undefined;
    if (!existing) throw new Error('charge neither recorded nor found under its idempotency key');
    return existing;
  }

  async voidCharge(transactionId: string, reason: string): Promise<{ outcome: VoidOutcome; amount?: Money }> {
    // One statement: the row as it was before, and whether this call voided it.
    const [row] = await this.db.query<PaymentRow & { voided_now: boolean }>(
      `WITH voided AS (
         UPDATE ${this.schema}.payments SET voided_at = now(), void_reason = $2
          WHERE transaction_id = $1 AND voided_at IS NULL
         RETURNING transaction_id
       )
       SELECT ${COLUMNS}, EXISTS (SELECT 1 FROM voided) AS voided_now
         FROM ${this.schema}.payments WHERE transaction_id = $1`,
      [transactionId, reason],
    );
    if (!row) return { outcome: 'unknown' };
    const { amount } = chargeOf(row);
    return { outcome: row.voided_now ? 'voided' : 'already voided', amount };
  }

  async refundCharge(refund: NewRefund): Promise<RefundOutcome> {
    return this.db.transaction(async (tx) => {
      // The charge's row lock serialises refunds of one charge, so they never exceed it.
      const [charge] = await tx.query<PaymentRow & { card_method: CardMethod }>(
        `SELECT ${COLUMNS}, card_method FROM ${this.schema}.payments WHERE transaction_id = $1 FOR UPDATE`,
        [refund.transactionId],
      );
      if (!charge) return { outcome: 'unknown charge' };
      const { amount, voided } = chargeOf(charge);
      const method = charge.card_method;
      const refunds = await tx.query<{
        refund_id: string;
        amount_units: bigint | string;
        amount_nanos: number;
      }>(
        `SELECT refund_id, amount_units, amount_nanos FROM ${this.schema}.refunds WHERE transaction_id = $1`,
        [refund.transactionId],
      );
      const moneyOf = (row: { amount_units: bigint | string; amount_nanos: number }): Money => ({
        currencyCode: amount.currencyCode,
        units: BigInt(row.amount_units),
        nanos: Number(row.amount_nanos),
      });
      const refunded = sum(amount.currencyCode, refunds.map(moneyOf));
      const before = refunds.find((r) => r.refund_id === refund.refundId);
      if (before)
        return { outcome: 'already refunded', refunded: moneyOf(before), refundedTotal: refunded, method };
      const verdict = judgeRefund({ amount, voided, method }, refunded, refund);
      if (verdict.outcome !== 'allowed') return verdict;
      // A refund id used for another charge conflicts here and fails the call: ids are the caller's.
      await tx.query(
        `INSERT INTO ${this.schema}.refunds (refund_id, transaction_id, amount_units, amount_nanos, reason)
         VALUES ($1, $2, $3, $4, $5)`,
        [
          refund.refundId,
          refund.transactionId,
          verdict.amount.units.toString(),
          verdict.amount.nanos,
          refund.reason,
        ],
      );
      return {
        outcome: 'refunded',
        refunded: verdict.amount,
        refundedTotal: add(refunded, verdict.amount),
        method,
      };
    });
  }

  /** Every charge, oldest first (tests and reconciliation). */
  async charges(): Promise<RecordedCharge[]> {
    const rows = await this.db.query<PaymentRow>(
      `SELECT ${COLUMNS} FROM ${this.schema}.payments ORDER BY charged_at, transaction_id`,
    );
    return rows.map(chargeOf);
  }
}
