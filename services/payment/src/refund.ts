import { trace } from '@opentelemetry/api';
import type { payment } from '@glasshouse/contracts';
import type { CallContext } from '@glasshouse/kit';
import {
  failedPrecondition,
  invalidArgument,
  notFound,
  spanRunner,
  storableTextProblem,
} from '@glasshouse/kit';
import { moneyProblem, toDecimalString } from '@glasshouse/money';
import type { PaymentLedger } from './ledger.js';
import type { PaymentMetrics } from './metrics.js';

const inSpan = spanRunner(trace.getTracer('payment'));
/** Transaction and refund ids: UUIDs, order ids and the like. */
const ID = /^[A-Za-z0-9._:-]{1,64}$/;
const MAX_REASON_LENGTH = 200;

function requestProblem(request: payment.RefundChargeRequest): string | undefined {
  if (!ID.test(request.transactionId)) return 'transaction_id: 1 to 64 letters, digits, or . _ : -';
  if (!ID.test(request.refundId)) return 'refund_id: 1 to 64 letters, digits, or . _ : -';
  const { amount } = request;
  if (amount) {
    const problem = moneyProblem(amount);
    if (problem) return `amount: ${problem}`;
    if (amount.units < 0n || (amount.units === 0n && amount.nanos <= 0)) return 'amount: must be positive';
  }
  return storableTextProblem('reason', request.reason);
}

/** ChargeReversalService/RefundCharge: gives back part or all of a charge, once per refund id. */
export function refundChargeHandler(
  ledger: PaymentLedger,
  metrics: PaymentMetrics,
): (request: payment.RefundChargeRequest, call: CallContext) => Promise<payment.RefundChargeResponse> {
  return (request, call) =>
    inSpan('refund charge', async (span) => {
      const problem = requestProblem(request);
      if (problem) throw invalidArgument(problem);
      const reason = request.reason.slice(0, MAX_REASON_LENGTH);
      const result = await ledger.refundCharge({
        transactionId: request.transactionId,
        refundId: request.refundId,
        amount: request.amount,
        reason,
      });
      switch (result.outcome) {
        case 'unknown charge':
          throw notFound(`no charge with transaction id "${request.transactionId}"`);
        case 'voided':
          throw failedPrecondition('the charge was voided: there is nothing to refund');
        case 'other currency':
          throw invalidArgument(`amount: the charge is in ${result.currencyCode}`);
        case 'more than is left':
          throw failedPrecondition(
            `only ${toDecimalString(result.left)} ${result.left.currencyCode} is left to refund`,
          );
        case 'refunded':
        case 'already refunded':
          break;
      }
      span.setAttribute('payment.amount', Number(toDecimalString(result.refunded)));
      span.setAttribute('payment.currency', result.refunded.currencyCode);
      if (result.outcome === 'refunded') {
        metrics.refunded(result.method);
        call.logger.info(
          {
            'payment.transaction_id': request.transactionId,
            'payment.refund_id': request.refundId,
            'payment.amount': toDecimalString(result.refunded),
            'payment.currency': result.refunded.currencyCode,
            reason,
          },
          'charge refunded',
        );
      }
      return { refunded: result.refunded, refundedTotal: result.refundedTotal };
    });
}
