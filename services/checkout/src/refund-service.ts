import type { checkout } from '@glasshouse/contracts';
import { orders } from '@glasshouse/contracts';
import type { Implementation, Logger, ServiceMetrics } from '@glasshouse/kit';
import { PRODUCT_ID, RpcError, invalidArgument, storableTextProblem } from '@glasshouse/kit';
import { toDecimalString } from '@glasshouse/money';
import type { RefundDependencies, RefundOrderOutput } from './refund-order.js';
import { REFUNDED_NOT_RECORDED, refundOrder } from './refund-order.js';

type RefundService = typeof checkout.RefundServiceService;

const ORDER_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const REFUND_ID = /^[A-Za-z0-9._:-]{1,64}$/;
const MAX_ITEMS = 200;
const MAX_QUANTITY = 999;
const MAX_TEXT = 200;

const shown = (text: string): string => JSON.stringify(text.slice(0, 64));

/** Why a RefundOrder request is malformed, as `field: reason`, or undefined. */
export function refundRequestProblem(request: checkout.RefundOrderRequest): string | undefined {
  if (!ORDER_ID.test(request.orderId)) return `order_id: ${shown(request.orderId)} is not a valid id`;
  if (!REFUND_ID.test(request.refundId))
    return `refund_id: ${shown(request.refundId)} must be 1 to 64 letters, digits, or . _ : -`;
  if (request.items.length > MAX_ITEMS) return `items: more than ${MAX_ITEMS} lines`;
  const seen = new Set<string>();
  for (const [index, item] of request.items.entries()) {
    if (!PRODUCT_ID.test(item.productId))
      return `items[${index}].product_id: ${shown(item.productId)} is not a product id`;
    if (seen.has(item.productId))
      return `items[${index}].product_id: ${shown(item.productId)} appears more than once`;
    seen.add(item.productId);
    if (!Number.isInteger(item.quantity) || item.quantity < 1 || item.quantity > MAX_QUANTITY)
      return `items[${index}].quantity: ${item.quantity} is outside 1–${MAX_QUANTITY}`;
  }
  if (!request.actor) return 'actor: required (who asks for the refund)';
  for (const [field, text] of [
    ['reason', request.reason],
    ['actor', request.actor],
    ['client_address', request.clientAddress],
  ] as const) {
    if (text.length > MAX_TEXT) return `${field}: longer than ${MAX_TEXT} characters`;
    const problem = storableTextProblem(field, text);
    if (problem) return problem;
  }
  return undefined;
}

export interface RefundServiceOptions {
  dependencies: RefundDependencies;
  metrics: ServiceMetrics;
  logger: Logger;
}

/** Why a refund ended as it did: the `result` label of checkout_refunds_total. */
const RESULT_OF_ERROR: Readonly<Record<string, string>> = {
  INVALID_ARGUMENT: 'invalid',
  FAILED_PRECONDITION: 'refused',
  NOT_FOUND: 'refused',
  [REFUNDED_NOT_RECORDED]: 'failed',
};

/** glasshouse.checkout.v1.RefundService: one refund of an order at a time, counted and audited. */
export function refundService(options: RefundServiceOptions): Implementation<RefundService> {
  const { dependencies, metrics, logger } = options;
  const refunds = metrics.counter(
    'checkout_refunds',
    'RefundOrder calls by result: refunded, repeated (a finished refund asked again), refused, invalid, failed.',
    ['result'],
  );
  // Refunds of one order run one after another, so two never both plan from the same leftovers.
  const queues = new Map<string, Promise<unknown>>();
  const inTurn = (orderId: string, run: () => Promise<RefundOrderOutput>): Promise<RefundOrderOutput> => {
    const previous = queues.get(orderId) ?? Promise.resolve();
    const turn = previous.then(run, run);
    queues.set(orderId, turn);
    const forget = (): void => {
      if (queues.get(orderId) === turn) queues.delete(orderId);
    };
    void turn.then(forget, forget);
    return turn;
  };

  return {
    async refundOrder(request, call) {
      const problem = refundRequestProblem(request);
      if (problem) {
        refunds.inc({ result: 'invalid' });
        throw invalidArgument(problem);
      }
      try {
        const result = await inTurn(request.orderId, () => refundOrder(dependencies, request, call.logger));
        refunds.inc({ result: result.refunded ? 'refunded' : 'repeated' });
        const { refund } = result;
        // The audit line: who, from where, what, and the order's status before and after.
        logger.info(
          {
            'app.order.id': request.orderId,
            'app.refund.id': request.refundId,
            'app.refund.amount': refund.amount ? toDecimalString(refund.amount) : undefined,
            'app.refund.currency': refund.amount?.currencyCode,
            'app.refund.items': refund.items.map((item) => `${item.quantity}×${item.productId}`).join(' '),
            'audit.actor': refund.actor,
            'audit.client_address': refund.clientAddress,
            'audit.old': orders.OrderStatus[refund.statusBefore],
            'audit.new': orders.OrderStatus[refund.statusAfter],
            repeated: !result.refunded,
            reason: refund.reason,
          },
          'order refunded',
        );
        return result;
      } catch (error) {
        const failure = RpcError.from(error);
        const result = RESULT_OF_ERROR[failure.errorType] ?? 'failed';
        refunds.inc({ result });
        logger.warn(
          {
            'app.order.id': request.orderId,
            'app.refund.id': request.refundId,
            result,
            reason: failure.message,
          },
          'order not refunded',
        );
        throw failure;
      }
    },
  };
}
