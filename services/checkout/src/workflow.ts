import { Metadata, status } from '@grpc/grpc-js';
import type { hipstershop, orders } from '@glasshouse/contracts';
import type { Logger } from '@glasshouse/kit';
import {
  IDEMPOTENCY_KEY_HEADER,
  RpcError,
  failedPrecondition,
  invalidArgument,
  isServiceError,
  maskEmail,
  unavailable,
} from '@glasshouse/kit';
import type { Money } from '@glasshouse/money';
import { add, multiply, zero } from '@glasshouse/money';
import type { CheckoutDependencies } from './dependencies.js';
import { step } from './steps.js';

type OrderResult = hipstershop.OrderResult;
type OrderItem = hipstershop.OrderItem;

/** Why an order ended the way it did: the `status` label of orders_total. */
export type OrderOutcome =
  'placed' | 'duplicate' | 'invalid' | 'out_of_stock' | 'payment_declined' | 'failed';

export interface Compensation {
  (action: 'release_stock' | 'void_charge', result: 'ok' | 'failed'): void;
}

export interface PlaceOrderInput {
  request: hipstershop.PlaceOrderRequest;
  orderId: string;
  logger: Logger;
  /** Counts compensations, so a failed one can alert. */
  onCompensation: Compensation;
  /** How long the confirmation email may hold the answer up. */
  emailDeadlineMs: number;
}

export interface PlaceOrderOutput {
  order: OrderResult;
  outcome: OrderOutcome;
}

/** Pauses between lookups of a possibly stored order that the order service did not answer: 6 s in all. */
const LOOKUP_RETRY_MS = [250, 500, 1000, 2000, 2250];
/** Pauses before each background retry of a failed CommitStock: 31 s in all. */
const COMMIT_RETRY_MS = [1000, 2000, 4000, 8000, 16_000];

const code = (error: unknown): status | undefined => (isServiceError(error) ? error.code : undefined);
const details = (error: unknown): string => (isServiceError(error) ? error.details : String(error));

function fromStoredOrder(order: orders.Order): OrderResult {
  return {
    orderId: order.orderId,
    shippingTrackingId: order.shippingTrackingId,
    shippingCost: order.shippingCost,
    shippingAddress: order.shippingAddress,
    items: order.items,
  };
}

/**
 * PlaceOrder: cart → products → prices in the shopper's currency → shipping quote → reserve
 * stock → charge → ship → persist → empty cart and confirmation. Once stock is reserved or a
 * card charged, any later failure undoes them (release, void) before answering, so there is
 * never a paid order without a stored row, nor a stored order without a charge.
 *
 * A retry with the same order id is answered with the order stored the first time. Nothing is
 * looked up for a first attempt: the reservation and the charge are idempotent on the order id
 * and CreateOrder answers a repeat with the stored order. The order service is asked only when
 * a run looks like a repeat: the cart is empty (emptied by the first run), or a step failed and
 * something would be undone, which must never happen to a placed order.
 */
export async function placeOrder(
  deps: CheckoutDependencies,
  input: PlaceOrderInput,
): Promise<PlaceOrderOutput> {
  const { request, orderId, logger } = input;

  const findStored = () =>
    step('find existing order', async () => {
      try {
        return (await deps.orders.getOrder({ orderId, userId: request.userId })).order;
      } catch (error) {
        if (code(error) === status.NOT_FOUND) return undefined;
        throw unavailable('the order service is unavailable; nothing was charged');
      }
    });
  // A placed order's reservation must not expire. An inventory restarting is back within
  // seconds, so a failed commit is tried again in the background, well within the reservation's
  // TTL; past the last try it is logged, and inventory would give the stock back (an overcount).
  const commit = () => deps.inventory.commitStock({ reservationId: orderId });
  const commitLater = async (): Promise<void> => {
    for (const waitMs of COMMIT_RETRY_MS) {
      await new Promise((resolve) => setTimeout(resolve, waitMs).unref());
      try {
        await commit();
        return;
      } catch (error) {
        if (waitMs === COMMIT_RETRY_MS.at(-1))
          logger.warn({ err: error, 'app.order.id': orderId }, 'stock reservation could not be committed');
      }
    }
  };
  const commitStock = () =>
    step('commit stock', async () => {
      try {
        await commit();
      } catch {
        void commitLater();
      }
    });
  // A repeat finds its order stored; the run that stored it may have died before committing.
  const duplicate = async (stored: orders.Order): Promise<PlaceOrderOutput> => {
    await commitStock();
    return { order: fromStoredOrder(stored), outcome: 'duplicate' };
  };

  const cart = await step('get cart', async () => {
    try {
      return await deps.cart.getCart({ userId: request.userId });
    } catch {
      throw unavailable('the cart service is unavailable; nothing was charged');
    }
  });
  if (cart.items.length === 0) {
    const stored = await findStored();
    if (stored) return await duplicate(stored);
    throw failedPrecondition('the cart is empty');
  }
  const { items, shippingCost } = await priceCart(deps, request, cart);
  const total = items.reduce(
    (sum, i) => add(sum, multiply(i.cost as Money, i.item?.quantity ?? 0)),
    shippingCost,
  );

  await step('reserve stock', async () => {
    try {
      await deps.inventory.reserveStock({ reservationId: orderId, items: cart.items });
    } catch (error) {
      if (code(error) === status.FAILED_PRECONDITION || code(error) === status.NOT_FOUND) {
        throw new RpcError(status.FAILED_PRECONDITION, details(error), 'out_of_stock');
      }
      throw unavailable('stock could not be reserved; nothing was charged');
    }
  });

  /** The order stored before under this id, asked before undoing anything; undefined when unknown. */
  // An order service restarting is back within seconds, and undoing a stored order (voiding its
  // charge) is the worse mistake: ask again for a while before taking "no answer" for "not stored".
  const storedBeforeUndo = async (): Promise<orders.Order | undefined> => {
    for (const waitMs of LOOKUP_RETRY_MS) {
      try {
        return await findStored();
      } catch {
        await new Promise((resolve) => setTimeout(resolve, waitMs));
      }
    }
    return findStored().catch(() => undefined);
  };
  const releaseStock = () =>
    step('release stock', async () => {
      try {
        await deps.inventory.releaseStock({ reservationId: orderId });
        input.onCompensation('release_stock', 'ok');
      } catch (error) {
        input.onCompensation('release_stock', 'failed');
        logger.error({ err: error, 'app.order.id': orderId }, 'stock reservation could not be released');
      }
    });

  let transactionId: string;
  try {
    transactionId = await step('charge card', async (span) => {
      span.setAttribute('app.payment.amount', Number(total.units) + total.nanos / 1e9);
      span.setAttribute('app.payment.currency', total.currencyCode);
      const metadata = new Metadata();
      metadata.set(IDEMPOTENCY_KEY_HEADER, orderId);
      const charge = () =>
        deps.payment.charge({ amount: total, creditCard: request.creditCard }, { metadata });
      try {
        return (await charge()).transactionId;
      } catch (error) {
        // The charge may have gone through before the deadline: asking again with the same key
        // returns that transaction instead of charging twice.
        if (code(error) === status.DEADLINE_EXCEEDED) {
          try {
            return (await charge()).transactionId;
          } catch {
            // fall through to the failure below
          }
        }
        if (code(error) === status.INVALID_ARGUMENT)
          throw new RpcError(status.INVALID_ARGUMENT, details(error), 'payment_declined');
        throw unavailable('the payment could not be processed; nothing was charged');
      }
    });
  } catch (error) {
    const stored = await storedBeforeUndo();
    if (stored) return await duplicate(stored);
    await releaseStock();
    throw error;
  }

  const voidCharge = (reason: string) =>
    step('void charge', async () => {
      try {
        await deps.chargeReversal.voidCharge({ transactionId, reason });
        input.onCompensation('void_charge', 'ok');
      } catch (error) {
        input.onCompensation('void_charge', 'failed');
        logger.error(
          { err: error, 'app.order.id': orderId, 'app.payment.transaction_id': transactionId },
          'charge could not be voided',
        );
      }
    });
  const undo = async (reason: string, message: string): Promise<PlaceOrderOutput> => {
    const stored = await storedBeforeUndo();
    if (stored) return await duplicate(stored);
    await voidCharge(reason);
    await releaseStock();
    throw unavailable(message);
  };

  let trackingId: string;
  try {
    trackingId = await step(
      'ship order',
      async () => (await deps.shipping.shipOrder({ address: request.address, items: cart.items })).trackingId,
    );
  } catch {
    return undo('shipping failed', 'the order could not be shipped; the charge was voided');
  }

  const order: OrderResult = {
    orderId,
    shippingTrackingId: trackingId,
    shippingCost,
    shippingAddress: request.address,
    items,
  };
  let persisted: orders.CreateOrderResponse;
  try {
    persisted = await step('persist order', async () => {
      const stored: orders.Order = {
        ...order,
        userId: request.userId,
        emailMasked: maskEmail(request.email),
        status: 1,
        total,
        transactionId,
        createdAt: undefined,
        refunds: [],
      };
      for (let attempt = 1; ; attempt++) {
        try {
          return await deps.orders.createOrder({ order: stored });
        } catch (error) {
          // CreateOrder is idempotent on the order id, so it is safe to ask again.
          const retryable = code(error) === status.UNAVAILABLE || code(error) === status.DEADLINE_EXCEEDED;
          if (!retryable || attempt === 3) throw error;
          await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt * (0.5 + Math.random())));
        }
      }
    });
  } catch (error) {
    logger.error({ err: error, 'app.order.id': orderId }, 'order could not be persisted');
    return undo('order could not be persisted', 'the order could not be saved; the charge was voided');
  }
  // A repeat of an order placed before (its cart not emptied): the stored order is the answer.
  if (!persisted.created && persisted.order) return await duplicate(persisted.order);

  // None needs another, and a failure of any is only logged: they run side by side.
  await Promise.all([
    commitStock(),
    step('empty cart', async () => {
      try {
        await deps.cart.emptyCart({ userId: request.userId });
      } catch (error) {
        logger.warn({ err: error, 'app.order.id': orderId }, 'cart could not be emptied after the order');
      }
    }),
    step('send confirmation', async () => {
      try {
        await deps.email.sendOrderConfirmation(
          { email: request.email, order },
          { deadlineMs: input.emailDeadlineMs },
        );
      } catch (error) {
        logger.warn({ err: error, 'app.order.id': orderId }, 'order confirmation could not be sent');
      }
    }),
  ]);
  return { order, outcome: 'placed' };
}

/** The cart's lines priced in the shopper's currency, and the shipping quote for them. */
async function priceCart(
  deps: CheckoutDependencies,
  request: hipstershop.PlaceOrderRequest,
  cart: hipstershop.Cart,
): Promise<{ items: OrderItem[]; shippingCost: Money }> {
  const currency = request.userCurrency;
  // Pricing and the shipping quote depend only on the cart: they run side by side.
  const [items, shippingCost] = await Promise.all([
    step('price items', () => priceItems(deps, cart.items, currency), {
      'app.cart.items': cart.items.length,
    }),
    step('quote shipping', async () => {
      let quote: hipstershop.GetQuoteResponse;
      try {
        quote = await deps.shipping.getQuote({ address: request.address, items: cart.items });
      } catch (error) {
        if (code(error) === status.INVALID_ARGUMENT) throw invalidArgument(details(error));
        throw unavailable('shipping could not be quoted; nothing was charged');
      }
      return priceIn(deps, quote.costUsd, currency);
    }),
  ]);
  return { items, shippingCost };
}

/**
 * An amount in the shopper's currency. An unknown currency is the request's fault, named as its
 * user_currency field, whichever of the prices and the shipping quote is converted first.
 */
async function priceIn(
  deps: CheckoutDependencies,
  amount: Money | undefined,
  currency: string,
): Promise<Money> {
  if (!amount) return zero(currency);
  if (amount.currencyCode === currency) return amount;
  try {
    return await deps.currency.convert({ from: amount, toCode: currency });
  } catch (error) {
    if (code(error) === status.INVALID_ARGUMENT) throw invalidArgument(`user_currency: ${details(error)}`);
    throw unavailable('prices could not be converted; nothing was charged');
  }
}

async function priceItems(
  deps: CheckoutDependencies,
  cartItems: hipstershop.CartItem[],
  currency: string,
): Promise<OrderItem[]> {
  return Promise.all(
    cartItems.map(async (item) => {
      let product: hipstershop.Product;
      try {
        product = await deps.catalog.getProduct({ id: item.productId });
      } catch (error) {
        if (code(error) === status.NOT_FOUND)
          throw failedPrecondition(`product ${item.productId} is no longer sold`);
        throw unavailable('the product catalog is unavailable; nothing was charged');
      }
      return { item, cost: await priceIn(deps, product.priceUsd, currency) };
    }),
  );
}
