import { randomUUID } from 'node:crypto';
import { trace } from '@opentelemetry/api';
import type { hipstershop, payment } from '@glasshouse/contracts';
import type { Implementation } from '@glasshouse/kit';
import {
  IDEMPOTENCY_KEY_HEADER,
  invalidArgument,
  notFound,
  spanRunner,
  storableTextProblem,
} from '@glasshouse/kit';
import type { Money } from '@glasshouse/money';
import { moneyProblem, toDecimalString } from '@glasshouse/money';
import { examineCard, monthOf } from './card.js';
import type { PaymentLedger } from './ledger.js';
import type { PaymentMetrics } from './metrics.js';
import { refundChargeHandler } from './refund.js';

type PaymentService = typeof hipstershop.PaymentServiceService;
type ChargeReversalService = typeof payment.ChargeReversalServiceService;

const tracer = trace.getTracer('payment');
const MAX_TRANSACTION_ID_LENGTH = 64;
const MAX_REASON_LENGTH = 200;
/** The metadata header under which a caller makes Charge safe to retry. */

export interface PaymentOptions {
  ledger: PaymentLedger;
  metrics: PaymentMetrics;
  /** The clock card expiry is judged by. */
  now?: () => Date;
  newTransactionId?: () => string;
}

function amountProblem(amount: Money | undefined): string | undefined {
  const problem = moneyProblem(amount);
  if (problem || !amount) return `amount: ${problem ?? 'is required'}`;
  if (amount.units < 0n || (amount.units === 0n && amount.nanos <= 0)) return 'amount: must be positive';
  return undefined;
}

// The status carries no message: reasons may quote the card's expiry.
const inSpan = spanRunner(tracer);

/** hipstershop.PaymentService: checks a card and records the charge in the ledger (no card leaves the shop). */
export function paymentService(options: PaymentOptions): Implementation<PaymentService> {
  const { ledger, metrics } = options;
  const now = options.now ?? (() => new Date());
  const newTransactionId = options.newTransactionId ?? randomUUID;
  return {
    charge: (request, call) =>
      inSpan('charge card', async (span) => {
        const card = examineCard(request.creditCard, monthOf(now()));
        span.setAttribute('payment.method', card.method);
        const problem = card.problem ?? amountProblem(request.amount);
        if (problem || !request.amount) {
          metrics.refused(card.method);
          throw invalidArgument(problem ?? 'amount: is required');
        }
        const amount = request.amount;
        // A retry of a charge (same idempotency key, e.g. checkout after a deadline) gets the
        // first transaction back instead of charging the card again.
        const key = call.metadata.get(IDEMPOTENCY_KEY_HEADER)[0]?.toString().slice(0, 200) || undefined;
        // A voided charge is no payment: a retry after compensation charges afresh.
        const previous = key ? await ledger.chargeUnder(key) : undefined;
        if (previous) {
          span.setAttribute('payment.idempotent_replay', true);
          return { transactionId: previous.transactionId };
        }
        span.setAttribute('payment.amount', Number(toDecimalString(amount)));
        span.setAttribute('payment.currency', amount.currencyCode);
        const transactionId = newTransactionId();
        const recorded = await ledger.recordCharge({
          transactionId,
          idempotencyKey: key,
          amount,
          method: card.method,
          lastFour: card.lastFour,
        });
        if (recorded.transactionId !== transactionId) {
          // A concurrent retry under the same key recorded its charge first.
          span.setAttribute('payment.idempotent_replay', true);
          return { transactionId: recorded.transactionId };
        }
        metrics.charged(card.method, amount);
        call.logger.info(
          {
            'payment.transaction_id': transactionId,
            'payment.method': card.method,
            'payment.card_last_four': card.lastFour,
            'payment.amount': toDecimalString(amount),
            'payment.currency': amount.currencyCode,
          },
          'card charged',
        );
        return { transactionId };
      }),
  };
}

/** glasshouse.payment.v1.ChargeReversalService: voids and refunds charges recorded by paymentService. */
export function chargeReversalService(
  options: Pick<PaymentOptions, 'ledger' | 'metrics'>,
): Implementation<ChargeReversalService> {
  const { ledger, metrics } = options;
  return {
    voidCharge: (request, call) =>
      inSpan('void charge', async () => {
        const transactionId = request.transactionId.trim();
        if (!transactionId) throw invalidArgument('transaction_id: is required');
        if (transactionId.length > MAX_TRANSACTION_ID_LENGTH)
          throw invalidArgument(`transaction_id: longer than ${MAX_TRANSACTION_ID_LENGTH} characters`);
        const reason = request.reason.slice(0, MAX_REASON_LENGTH);
        const problem =
          storableTextProblem('transaction_id', transactionId) ?? storableTextProblem('reason', reason);
        if (problem) throw invalidArgument(problem);
        const { outcome, amount } = await ledger.voidCharge(transactionId, reason);
        metrics.voided(outcome);
        if (outcome === 'unknown') throw notFound(`no charge with transaction id "${transactionId}"`);
        if (outcome === 'voided') {
          call.logger.info(
            {
              'payment.transaction_id': transactionId,
              'payment.amount': amount ? toDecimalString(amount) : undefined,
              'payment.currency': amount?.currencyCode,
              reason,
            },
            'charge voided',
          );
        }
        return { voided: true };
      }),
    refundCharge: refundChargeHandler(ledger, metrics),
  };
}
