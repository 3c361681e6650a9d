import { Metadata, status } from '@grpc/grpc-js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { hipstershop } from '@glasshouse/contracts';
import { IDEMPOTENCY_KEY_HEADER, PRODUCT_ID, isServiceError } from '@glasshouse/kit';
import type { Money } from '@glasshouse/money';
import { add, formatMoney, multiply, sum, zero } from '@glasshouse/money';
import { PageError, fromServiceFailure, notFoundPage } from '../errors.js';
import { readCartForm, readCheckoutForm, readForm, formValues } from '../forms.js';
import { priceIn, productCard } from '../pricing.js';
import type { Shop } from '../shop.js';
import type { RateLimits } from '../security.js';
import { limitedTo } from '../security.js';
import { currentCurrency } from '../session.js';
import type { CartView, Chrome, CheckoutFormValues, LineView, OrderView } from '../views/model.js';
import { cartPage, orderConfirmationPage } from '../views/pages.js';

/** The idempotency key travels to checkout in this metadata header. */

/** Lines of a cart or an order: product cards with unit price × quantity in the currency given. */
export async function linesOf(
  shop: Shop,
  items: readonly { productId: string; quantity: number; unitPrice?: Money }[],
  currency: string,
): Promise<{ lines: LineView[]; totals: Money[] }> {
  const priced = await Promise.all(
    items.map(async (item) => {
      const product = await shop.backends.catalog.getProduct({ id: item.productId });
      const card = await productCard(shop.backends, product, currency);
      const unit = item.unitPrice ?? (await priceIn(shop.backends, product.priceUsd, currency));
      const lineTotal = multiply(unit, item.quantity);
      return {
        line: { product: card, quantity: item.quantity, lineTotal: { text: formatMoney(lineTotal) } },
        lineTotal,
      };
    }),
  );
  return { lines: priced.map((p) => p.line), totals: priced.map((p) => p.lineTotal) };
}

/** The cart page, the cart forms and checkout. */
export function registerCart(app: FastifyInstance, shop: Shop, limits: RateLimits): void {
  const { backends } = shop;

  const cartView = async (userId: string, chrome: Chrome): Promise<CartView> => {
    const currency = chrome.currentCurrency;
    const cart = await backends.cart.getCart({ userId }).catch((error: unknown) => {
      throw fromServiceFailure(error, 'cart service');
    });
    const items = cart.items.map((i) => ({ productId: i.productId, quantity: i.quantity }));
    const [{ lines, totals }, shipping, recommendations] = await Promise.all([
      linesOf(shop, items, currency),
      backends.shipping
        .getQuote({ address: undefined, items: cart.items })
        .then((quote) => priceIn(backends, quote.costUsd, currency)),
      shop.recommendations(
        userId,
        items.map((i) => i.productId),
        currency,
      ),
    ]).catch((error: unknown) => {
      throw fromServiceFailure(error, 'shop');
    });
    const subtotal = sum(currency, totals);
    return {
      lines,
      subtotal: { text: formatMoney(subtotal) },
      shipping: { text: formatMoney(shipping) },
      total: { text: formatMoney(add(subtotal, shipping)) },
      recommendations: recommendations ?? [],
      idempotencyKey: randomUUID(),
    };
  };

  const showCart = async (
    request: FastifyRequest,
    reply: FastifyReply,
    form?: { values: CheckoutFormValues; error: string; statusCode: number },
  ) => {
    const chrome = await shop.chrome(request, reply);
    const view = await cartView(await shop.shopperId(request, reply), chrome);
    const page = form
      ? cartPage(chrome, view, { values: form.values, error: form.error })
      : cartPage(chrome, view);
    return shop.send(reply, 'cart', page, form?.statusCode ?? 200);
  };

  app.get('/cart', async (request, reply) => showCart(request, reply));

  app.post('/cart', async (request, reply) => {
    const { productId, quantity } = readCartForm(readForm(request.body), PRODUCT_ID);
    await backends.catalog.getProduct({ id: productId }).catch((error: unknown) => {
      const failure = fromServiceFailure(error, 'product catalog');
      throw failure.statusCode === 404
        ? notFoundPage(`There is no product with id "${productId}".`)
        : failure;
    });
    await backends.cart
      .addItem({ userId: await shop.shopperId(request, reply), item: { productId, quantity } })
      .catch((error: unknown) => {
        throw fromServiceFailure(error, 'cart service');
      });
    return reply.redirect('/cart', 302);
  });

  app.post('/cart/empty', async (request, reply) => {
    await backends.cart
      .emptyCart({ userId: await shop.shopperId(request, reply) })
      .catch((error: unknown) => {
        throw fromServiceFailure(error, 'cart service');
      });
    return reply.redirect('/cart', 302);
  });

  app.post('/cart/checkout', limitedTo(limits.checkoutPerMinute), async (request, reply) => {
    const userId = await shop.shopperId(request, reply);
    const fields = readForm(request.body);
    let form;
    try {
      form = readCheckoutForm(fields);
    } catch (error) {
      if (error instanceof PageError && error.statusCode === 400) {
        request.span?.setAttribute('error.type', 'invalid_form');
        return showCart(request, reply, {
          values: formValues(fields),
          error: error.message,
          statusCode: 400,
        });
      }
      throw error;
    }
    const currency = currentCurrency(request, await shop.supportedCurrencies(), shop.defaultCurrency);
    // The confirmation's header and ad are fetched while the order is placed; its cart is empty.
    const confirmationChrome = shop.chrome(request, reply, [], 0);
    void confirmationChrome.catch(() => undefined);
    const metadata = new Metadata();
    if (form.idempotencyKey) metadata.set(IDEMPOTENCY_KEY_HEADER, form.idempotencyKey);
    let order: hipstershop.OrderResult | undefined;
    try {
      ({ order } = await backends.checkout.placeOrder(
        {
          userId,
          userCurrency: currency,
          address: form.address,
          email: form.email,
          creditCard: form.card,
        },
        { metadata, deadlineMs: 10_000 },
      ));
    } catch (error) {
      const refused =
        isServiceError(error) && [status.INVALID_ARGUMENT, status.FAILED_PRECONDITION].includes(error.code);
      if (!refused) throw fromServiceFailure(error, 'checkout service');
      request.span?.setAttribute('error.type', status[error.code]);
      const statusCode = error.code === status.INVALID_ARGUMENT ? 400 : 409;
      return showCart(request, reply, {
        values: form.values,
        error: `Your order was not placed: ${error.details}`,
        statusCode,
      });
    }
    if (!order) throw new PageError(502, 'Something went wrong', 'The checkout service gave no order.');
    const [chrome, view] = await Promise.all([confirmationChrome, orderView(shop, order, currency)]);
    return shop.send(reply, 'order-confirmation', orderConfirmationPage(chrome, view));
  });
}

/** An order as the confirmation and history pages show it. */
export async function orderView(
  shop: Shop,
  order: hipstershop.OrderResult,
  currency: string,
  placedAt?: Date,
): Promise<OrderView> {
  const items = order.items.map((i) => ({
    productId: i.item?.productId ?? '',
    quantity: i.item?.quantity ?? 0,
    ...(i.cost ? { unitPrice: i.cost } : {}),
  }));
  const orderCurrency = order.items[0]?.cost?.currencyCode ?? currency;
  const { lines, totals } = await linesOf(shop, items, orderCurrency).catch((error: unknown) => {
    throw fromServiceFailure(error, 'product catalog');
  });
  const shipping = order.shippingCost ?? zero(orderCurrency);
  const address = order.shippingAddress;
  return {
    orderId: order.orderId,
    trackingId: order.shippingTrackingId,
    lines,
    shipping: { text: formatMoney(shipping) },
    total: { text: formatMoney(add(sum(orderCurrency, totals), shipping)) },
    address: address
      ? [address.streetAddress, `${address.zipCode} ${address.city}`, address.state, address.country]
          .filter(Boolean)
          .join(', ')
      : '',
    ...(placedAt ? { placedAt: placedAt.toISOString().slice(0, 16).replace('T', ' ') + ' UTC' } : {}),
  };
}
