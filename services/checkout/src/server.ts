import type { hipstershop } from '@glasshouse/contracts';
import type { Implementation, Logger, ServiceMetrics } from '@glasshouse/kit';
import { IDEMPOTENCY_KEY_HEADER, RpcError } from '@glasshouse/kit';
import type { CheckoutDependencies } from './dependencies.js';
import { orderIdFor } from './order-id.js';
import { checkPlaceOrderRequest } from './validation.js';
import type { OrderOutcome, PlaceOrderOutput } from './workflow.js';
import { placeOrder } from './workflow.js';

type CheckoutService = typeof hipstershop.CheckoutServiceService;

export interface CheckoutOptions {
  dependencies: CheckoutDependencies;
  metrics: ServiceMetrics;
  logger: Logger;
  emailDeadlineMs?: number;
}

const OUTCOME_OF_ERROR: Readonly<Record<string, OrderOutcome>> = {
  out_of_stock: 'out_of_stock',
  payment_declined: 'payment_declined',
  INVALID_ARGUMENT: 'invalid',
  FAILED_PRECONDITION: 'invalid',
};

/** The CheckoutService handler: validation, one run per order id at a time, outcome metrics. */
export function checkoutService(options: CheckoutOptions): Implementation<CheckoutService> {
  const { dependencies, metrics, logger } = options;
  const ordersTotal = metrics.counter(
    'orders_total',
    'Orders by outcome (placed, out_of_stock, payment_declined, …).',
    ['status'],
  );
  const compensations = metrics.counter(
    'checkout_compensations_total',
    'Undo actions after a failed step, by result.',
    ['action', 'result'],
  );
  // Concurrent retries of one order share its run, so they cannot both reserve and charge.
  const inFlight = new Map<string, Promise<PlaceOrderOutput>>();

  return {
    async placeOrder(request, call) {
      try {
        checkPlaceOrderRequest(request);
      } catch (error) {
        ordersTotal.inc({ status: 'invalid' });
        throw error;
      }
      const key = call.metadata.get(IDEMPOTENCY_KEY_HEADER)[0]?.toString().slice(0, 200);
      const orderId = orderIdFor(request.userId, key);
      let run = inFlight.get(orderId);
      if (!run) {
        run = placeOrder(dependencies, {
          request,
          orderId,
          logger: call.logger,
          emailDeadlineMs: options.emailDeadlineMs ?? 1000,
          onCompensation: (action, result) => compensations.inc({ action, result }),
        }).finally(() => inFlight.delete(orderId));
        inFlight.set(orderId, run);
      }
      try {
        const { order, outcome } = await run;
        ordersTotal.inc({ status: outcome });
        logger.info(
          { 'app.order.id': order.orderId, 'app.order.items': order.items.length, outcome },
          'order placed',
        );
        return { order };
      } catch (error) {
        const failure = RpcError.from(error);
        const outcome = OUTCOME_OF_ERROR[failure.errorType] ?? 'failed';
        ordersTotal.inc({ status: outcome });
        logger.warn({ 'app.order.id': orderId, outcome, reason: failure.message }, 'order not placed');
        throw failure;
      }
    },
  };
}
