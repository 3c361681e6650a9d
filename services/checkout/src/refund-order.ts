import { status } from '@grpc/grpc-js';
import type { checkout, orders } from '@glasshouse/contracts';
import type { Logger } from '@glasshouse/kit';
import {
  RpcError,
  failedPrecondition,
  invalidArgument,
  isServiceError,
  notFound,
  unavailable,
} from '@glasshouse/kit';
import type { Money } from '@glasshouse/money';
import { isZero, toDecimalString } from '@glasshouse/money';
import type { CheckoutDependencies } from './dependencies.js';
import type { RefundPlan } from './refund-plan.js';
import { planRefund, refundKey } from './refund-plan.js';
import { step } from './steps.js';

export type RefundDependencies = Pick<CheckoutDependencies, 'orders' | 'chargeReversal' | 'inventory'>;

export interface RefundOrderOutput {
  order: orders.Order;
  refund: orders.OrderRefund;
  /** True when this call recorded the refund; false for a repeat of a finished one. */
  refunded: boolean;
}

const code = (error: unknown): status | undefined => (isServiceError(error) ? error.code : undefined);
const details = (error: unknown): string => (isServiceError(error) ? error.details : String(error));
const RETRY = 'retry with the same refund id to finish it';
/** error.type of a refund paid out that the order refused to record: counted as failed. */
export const REFUNDED_NOT_RECORDED = 'REFUNDED_NOT_RECORDED';

/**
 * RefundOrder: look the order up → refund the charge (payment) → record the refund on the order
 * (orders) → put the goods back (inventory). Every step is idempotent on the refund, so a retry
 * after any failure does the steps left undone and none twice. The money goes first: an order
 * that shows a refund the customer never got is the worse mistake.
 */
export async function refundOrder(
  deps: RefundDependencies,
  request: checkout.RefundOrderRequest,
  logger: Logger,
): Promise<RefundOrderOutput> {
  const { orderId, refundId } = request;
  const order = await step('look up order', async () => {
    try {
      return (await deps.orders.lookUpOrder({ orderId })).order;
    } catch (error) {
      if (code(error) === status.NOT_FOUND) throw notFound(`no order "${orderId}"`);
      throw unavailable('the order service is unavailable; nothing was refunded');
    }
  });
  if (!order) throw unavailable('the order service answered without the order; nothing was refunded');

  // A refund recorded before is repeated as it was, whatever this request asks.
  const earlier = order.refunds.find((refund) => refund.refundId === refundId);
  let plan: RefundPlan;
  if (earlier?.amount) plan = { items: earlier.items, amount: earlier.amount };
  else {
    const planned = planRefund(order, request.items);
    if ('problem' in planned) throw failedPrecondition(planned.problem);
    plan = planned;
  }
  const key = refundKey(orderId, refundId);

  const amount = await step(
    'refund payment',
    async (span): Promise<Money> => {
      span.setAttribute('app.payment.amount', Number(toDecimalString(plan.amount)));
      span.setAttribute('app.payment.currency', plan.amount.currencyCode);
      if (isZero(plan.amount)) return plan.amount;
      try {
        const refunded = await deps.chargeReversal.refundCharge({
          transactionId: order.transactionId,
          refundId: key,
          amount: plan.amount,
          reason: request.reason,
        });
        return refunded.refunded ?? plan.amount;
      } catch (error) {
        if (code(error) === status.FAILED_PRECONDITION)
          throw failedPrecondition(`the charge cannot be refunded: ${details(error)}`);
        if (code(error) === status.NOT_FOUND)
          throw failedPrecondition('the order’s charge is not in the payment ledger');
        if (code(error) === status.INVALID_ARGUMENT) throw invalidArgument(details(error));
        // A call that timed out may have refunded: only a retry with the same id can tell, and it never refunds twice.
        throw unavailable(`the payment service did not confirm the refund; ${RETRY}`);
      }
    },
    { 'app.order.id': orderId },
  );

  let recorded: orders.RecordRefundResponse;
  try {
    recorded = await step('record refund', () =>
      deps.orders.recordRefund({
        orderId,
        refund: {
          refundId,
          items: plan.items,
          amount,
          reason: request.reason,
          actor: request.actor,
          clientAddress: request.clientAddress,
          statusBefore: 0,
          statusAfter: 0,
          refundedAt: undefined,
        },
      }),
    );
  } catch (error) {
    // The money went back: the order must show it, so this is for a retry to finish.
    logger.error(
      { err: error, 'app.order.id': orderId, 'app.refund.id': refundId },
      'refunded charge not recorded on the order',
    );
    // The order changed between the plan and the record (another checkout refunded the same items):
    // money went back that the order does not show, and no retry mends it — a failure, not a refusal.
    if (code(error) === status.FAILED_PRECONDITION)
      throw new RpcError(
        status.FAILED_PRECONDITION,
        `the charge was refunded but the order refused it: ${details(error)}`,
        REFUNDED_NOT_RECORDED,
      );
    throw unavailable(`the charge was refunded but the order could not be updated; ${RETRY}`);
  }

  await step('return stock', async () => {
    try {
      await deps.inventory.returnStock({ returnId: key, items: plan.items });
    } catch (error) {
      logger.error(
        { err: error, 'app.order.id': orderId, 'app.refund.id': refundId },
        'refunded goods not returned to stock',
      );
      throw unavailable(`the refund is recorded but its goods could not be put back in stock; ${RETRY}`);
    }
  });

  const { order: after, refund } = recorded;
  if (!after || !refund) throw unavailable(`the order service answered without the refund; ${RETRY}`);
  return { order: after, refund, refunded: recorded.recorded };
}
