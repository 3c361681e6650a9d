import type { orders } from '@glasshouse/contracts';
import type { CallContext, ServiceMetrics } from '@glasshouse/kit';
import { failedPrecondition, invalidArgument, notFound } from '@glasshouse/kit';
import { toDecimalString } from '@glasshouse/money';
import type { RefundRepository } from './refunds.js';
import { idProblem, refundProblem } from './validation.js';

type Handler<Req, Res> = (request: Req, call: CallContext) => Promise<Res>;

export interface RefundHandlers {
  lookUpOrder: Handler<orders.LookUpOrderRequest, orders.LookUpOrderResponse>;
  recordRefund: Handler<orders.RecordRefundRequest, orders.RecordRefundResponse>;
}

/** LookUpOrder and RecordRefund: an admin's read of any order, and the refund on its record. */
export function refundHandlers(refunds: RefundRepository, metrics: ServiceMetrics): RefundHandlers {
  // prom-client appends _total in OpenMetrics, so this is scraped as orders_refunds_recorded_total.
  const recordedRefunds = metrics.counter(
    'orders_refunds_recorded',
    'RecordRefund calls by result: recorded, existing (idempotent repeat), refused, invalid.',
    ['result'],
  );
  return {
    async lookUpOrder(request) {
      const problem = idProblem('order_id', request.orderId);
      if (problem) throw invalidArgument(problem);
      const order = await refunds.lookUp(request.orderId);
      if (!order) throw notFound(`no order "${request.orderId}"`);
      return { order };
    },

    async recordRefund(request, call) {
      const problem = idProblem('order_id', request.orderId) ?? refundProblem(request.refund);
      if (problem || !request.refund?.amount) {
        recordedRefunds.inc({ result: 'invalid' });
        throw invalidArgument(problem ?? 'refund.amount: required');
      }
      const { refund } = request;
      const result = await refunds.record(request.orderId, {
        refundId: refund.refundId,
        items: refund.items.map(({ productId, quantity }) => ({ productId, quantity })),
        amount: request.refund.amount,
        reason: refund.reason,
        actor: refund.actor,
        clientAddress: refund.clientAddress,
      });
      switch (result.outcome) {
        case 'unknown order':
          recordedRefunds.inc({ result: 'refused' });
          throw notFound(`no order "${request.orderId}"`);
        case 'not refundable':
          recordedRefunds.inc({ result: 'refused' });
          throw failedPrecondition('the order is not placed: it cannot be refunded');
        case 'more than is left':
          recordedRefunds.inc({ result: 'refused' });
          throw failedPrecondition(result.problem);
        case 'already recorded':
          recordedRefunds.inc({ result: 'existing' });
          return { order: result.order, refund: result.refund, recorded: false };
        case 'recorded':
          break;
      }
      recordedRefunds.inc({ result: 'recorded' });
      call.logger.info(
        {
          'app.order.id': request.orderId,
          'app.refund.id': refund.refundId,
          'app.refund.amount': result.refund.amount ? toDecimalString(result.refund.amount) : undefined,
          'audit.actor': refund.actor,
        },
        'order refund recorded',
      );
      return { order: result.order, refund: result.refund, recorded: true };
    },
  };
}
