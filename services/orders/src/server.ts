import { SpanStatusCode, trace } from '@opentelemetry/api';
import { status } from '@grpc/grpc-js';
import type { orders } from '@glasshouse/contracts';
import type { Implementation, ServiceMetrics } from '@glasshouse/kit';
import { RpcError, invalidArgument, notFound } from '@glasshouse/kit';
import { refundHandlers } from './refund-handlers.js';
import type { RefundRepository } from './refunds.js';
import type { OrderRepository } from './repository.js';
import { emailForStorage, idProblem, orderProblem } from './validation.js';

type OrderService = typeof orders.OrderServiceService;
type Order = orders.Order;

export const DEFAULT_LIST_LIMIT = 20;
export const MAX_LIST_LIMIT = 100;
const tracer = trace.getTracer('orders');

export interface OrderServiceOptions {
  repository: OrderRepository;
  refunds: RefundRepository;
  metrics: ServiceMetrics;
}

function errorType(error: unknown): string {
  if (error instanceof RpcError) return error.errorType;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.name : 'Error';
}

/** The OrderService handlers: store an order once, read it back for its owner only. */
export function orderService({
  repository,
  refunds,
  metrics,
}: OrderServiceOptions): Implementation<OrderService> {
  // prom-client appends _total in OpenMetrics, so this is scraped as orders_persisted_total.
  const persisted = metrics.counter(
    'orders_persisted',
    'CreateOrder calls by result: created, existing (idempotent repeat), conflict, invalid, error.',
    ['result'],
  );

  const persistOrder = (order: Order): Promise<{ order: Order; created: boolean }> =>
    tracer.startActiveSpan('persist order', async (span) => {
      span.setAttribute('app.order.id', order.orderId);
      span.setAttribute('app.order.items.count', order.items.length);
      try {
        const result = await repository.create(order);
        span.setAttribute('app.order.created', result.created);
        return result;
      } catch (error) {
        span.setAttribute('error.type', errorType(error));
        span.setStatus({ code: SpanStatusCode.ERROR, message: 'order not persisted' });
        throw error;
      } finally {
        span.end();
      }
    });

  return {
    async createOrder(request, call) {
      const problem = orderProblem(request.order);
      if (problem !== undefined || !request.order) {
        persisted.inc({ result: 'invalid' });
        throw invalidArgument(problem ?? 'order: required');
      }
      const order: Order = { ...request.order, emailMasked: emailForStorage(request.order.emailMasked) };
      let result: { order: Order; created: boolean };
      try {
        result = await persistOrder(order);
      } catch (error) {
        persisted.inc({ result: 'error' });
        throw error;
      }
      if (!result.created && result.order.userId !== order.userId) {
        // Another user's order under that id: neither overwrite it nor show it.
        persisted.inc({ result: 'conflict' });
        throw new RpcError(status.ALREADY_EXISTS, `order.order_id: "${order.orderId}" is already taken`);
      }
      persisted.inc({ result: result.created ? 'created' : 'existing' });
      call.logger.info(
        {
          'app.order.id': order.orderId,
          'app.order.items.count': order.items.length,
          created: result.created,
        },
        result.created ? 'order persisted' : 'order already persisted',
      );
      return result;
    },

    async getOrder(request) {
      const problem = idProblem('order_id', request.orderId) ?? idProblem('user_id', request.userId);
      if (problem) throw invalidArgument(problem);
      const order = await repository.get(request.orderId, request.userId);
      // The same answer whether the order is missing or someone else's: ids are not probed.
      if (!order) throw notFound(`no order "${request.orderId}" for this user`);
      return { order };
    },

    async listOrders(request) {
      const problem = idProblem('user_id', request.userId);
      if (problem) throw invalidArgument(problem);
      if (!Number.isInteger(request.limit) || request.limit < 0)
        throw invalidArgument('limit: must not be negative');
      const limit = Math.min(request.limit || DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT);
      return { orders: await repository.listByUser(request.userId, limit) };
    },

    ...refundHandlers(refunds, metrics),
  };
}
