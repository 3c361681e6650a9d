import { status } from '@grpc/grpc-js';
import type { Attributes } from '@opentelemetry/api';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import type { hipstershop } from '@glasshouse/contracts';
import type { CallContext, Implementation, ServiceMetrics } from '@glasshouse/kit';
import { PRODUCT_ID, RpcError, STATUS_NAMES, invalidArgument } from '@glasshouse/kit';
import type { CartStore } from './store.js';

type CartService = typeof hipstershop.CartServiceService;
type Operation = 'add_item' | 'get_cart' | 'empty_cart';

const USER_ID_MAX_LENGTH = 128;
/** Most units one AddItem may add; a cart line may hold more through several adds. */
const MAX_QUANTITY_PER_ADD = 99;

const tracer = trace.getTracer('cart');

export interface CartServiceOptions {
  store: CartStore;
  metrics: ServiceMetrics;
}

/** The CartService handlers over a cart store. */
export function cartService({ store, metrics }: CartServiceOptions): Implementation<CartService> {
  const operations = metrics.counter(
    'cart_operations_total',
    'Cart operations by operation and result (ok, or the gRPC status name in lower case).',
    ['operation', 'result'],
  );
  const cacheRequests = metrics.counter(
    'cache_requests_total',
    'Cache lookups by cache and result (hit or miss).',
    ['cache', 'result'],
  );

  const counted = async <T>(operation: Operation, work: () => Promise<T>): Promise<T> => {
    try {
      const result = await work();
      operations.inc({ operation, result: 'ok' });
      return result;
    } catch (error) {
      const code = error instanceof RpcError ? error.code : status.INTERNAL;
      operations.inc({ operation, result: (STATUS_NAMES[code] ?? 'UNKNOWN').toLowerCase() });
      throw error;
    }
  };

  /** A business span around one store call; a store failure becomes UNAVAILABLE. */
  const storeStep = <T>(name: string, call: CallContext, attributes: Attributes, work: () => Promise<T>) =>
    tracer.startActiveSpan(name, { attributes }, async (span) => {
      try {
        return await work();
      } catch (error) {
        const errorType = error instanceof Error ? error.name : 'Error';
        span.setAttribute('error.type', errorType);
        span.setStatus({ code: SpanStatusCode.ERROR, message: 'cart storage failed' });
        call.logger.error(
          { err: error, 'error.type': errorType, 'cart.store': store.kind },
          'cart storage failed',
        );
        throw new RpcError(status.UNAVAILABLE, 'cart storage is unavailable', errorType);
      } finally {
        span.end();
      }
    });

  return {
    addItem: (request, call) =>
      counted('add_item', async () => {
        const userId = checkUserId(request.userId);
        const { productId, quantity } = checkItem(request.item);
        const outcome = await storeStep(
          'save cart item',
          call,
          { 'app.product.id': productId, 'app.product.quantity': quantity },
          () => store.addItem(userId, productId, quantity),
        );
        const { maxLineQuantity, maxLines } = store.limits;
        if (outcome.status === 'line_full')
          throw invalidArgument(
            `item.quantity: the cart holds ${outcome.quantity} of "${productId}"; adding ${quantity} ` +
              `would pass the limit of ${maxLineQuantity} per product`,
          );
        if (outcome.status === 'cart_full')
          throw invalidArgument(
            `item.product_id: the cart already holds ${outcome.lines} different products, the limit is ${maxLines}`,
          );
        return {};
      }),

    getCart: (request, call) =>
      counted('get_cart', async () => {
        const userId = checkUserId(request.userId);
        const items = await storeStep('load cart', call, {}, async () => {
          const lines = await store.get(userId);
          const span = trace.getActiveSpan();
          span?.setAttribute('cache.hit', lines.length > 0);
          span?.setAttribute('app.cart.items.count', lines.length);
          return lines;
        });
        cacheRequests.inc({ cache: 'cart', result: items.length > 0 ? 'hit' : 'miss' });
        return { userId, items: items.map(({ productId, quantity }) => ({ productId, quantity })) };
      }),

    emptyCart: (request, call) =>
      counted('empty_cart', async () => {
        const userId = checkUserId(request.userId);
        await storeStep('empty cart', call, {}, () => store.empty(userId));
        return {};
      }),
  };
}

function checkUserId(userId: string): string {
  if (!userId.trim()) throw invalidArgument('user_id: required');
  if (userId.length > USER_ID_MAX_LENGTH)
    throw invalidArgument(`user_id: longer than ${USER_ID_MAX_LENGTH} characters`);
  return userId;
}

function checkItem(item: hipstershop.CartItem | undefined): hipstershop.CartItem {
  if (!item) throw invalidArgument('item: required');
  if (!item.productId) throw invalidArgument('item.product_id: required');
  if (!PRODUCT_ID.test(item.productId))
    throw invalidArgument(`item.product_id: "${item.productId.slice(0, 64)}" is not a product id`);
  if (item.quantity < 1) throw invalidArgument(`item.quantity: must be positive, got ${item.quantity}`);
  if (item.quantity > MAX_QUANTITY_PER_ADD)
    throw invalidArgument(`item.quantity: at most ${MAX_QUANTITY_PER_ADD} per request, got ${item.quantity}`);
  return item;
}
