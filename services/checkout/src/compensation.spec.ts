import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { status } from '@grpc/grpc-js';
import { orders } from '@glasshouse/contracts';
import type { PromiseClient } from '@glasshouse/kit';
import { ServiceMetrics, createClient } from '@glasshouse/kit';
import { freePort } from '@glasshouse/kit/testing';
import type { InProcessShop } from '@glasshouse/testing';
import { counterValue, startInProcessShop } from '@glasshouse/testing';
import {
  BAD_LUHN_CARD,
  EXPIRED_CARD,
  fillCart,
  newShopper,
  orderRequest,
  stockOf,
  testClock,
  withIdempotencyKey,
} from '@glasshouse/testing';

const LANTERN = '0PUK6V6EV0';
const SHEARS = '2ZYFJ3GM2N';
const BOOTS = 'LS4PSXUNUM';

/** What a test looks at before and after a refused order. */
async function snapshot(shop: InProcessShop, userId: string, productId: string) {
  const metric = (service: 'payment' | 'checkout', name: string, labels: Record<string, string>) =>
    counterValue(shop.metricsOf(service), name, labels);
  return {
    stock: await stockOf(shop.clients, productId),
    cart: (await shop.clients.cart.getCart({ userId })).items,
    rows: (await shop.clients.orders.listOrders({ userId, limit: 0 })).orders.length,
    charges: shop.ledger.size,
    paid: await metric('payment', 'payments_total', { status: 'success' }),
    voids: await metric('payment', 'payment_voids_total', { result: 'voided' }),
    released: await metric('checkout', 'checkout_compensations_total', {
      action: 'release_stock',
      result: 'ok',
    }),
    voided: await metric('checkout', 'checkout_compensations_total', { action: 'void_charge', result: 'ok' }),
  };
}

async function refusal(attempt: Promise<unknown>): Promise<{ code: number; details: string }> {
  const error = await attempt.then(
    () => assert.fail('the order was placed'),
    (thrown: unknown) => thrown as { code: number; details: string },
  );
  return { code: error.code, details: error.details };
}

describe('PlaceOrder refusals and compensation', () => {
  let shop: InProcessShop;

  before(async () => {
    shop = await startInProcessShop({ now: testClock });
  });
  after(() => shop.stop());

  for (const [card, reason] of [
    [EXPIRED_CARD, /credit_card: credit card expired 05\/2026/],
    [BAD_LUHN_CARD, /credit_card_number: failed the Luhn check/],
  ] as const) {
    it(`refuses a declined card (${reason.source}), releasing the stock it reserved`, async () => {
      const userId = newShopper();
      await fillCart(shop.clients, userId, [[SHEARS, 2]]);
      const before = await snapshot(shop, userId, SHEARS);
      const refused = await refusal(
        shop.clients.checkout.placeOrder(orderRequest(userId, { creditCard: { ...card } })),
      );
      assert.equal(refused.code, status.INVALID_ARGUMENT);
      assert.match(refused.details, reason);
      const now = await snapshot(shop, userId, SHEARS);
      assert.equal(now.stock, before.stock, 'the reservation was not released');
      assert.equal(now.rows, 0);
      assert.deepEqual(now.cart, [{ productId: SHEARS, quantity: 2 }]);
      assert.equal(now.charges, before.charges);
      assert.equal(now.paid, before.paid);
      assert.equal(now.released, before.released + 1);
      const declined = counterValue(shop.metricsOf('checkout'), 'orders_total', {
        status: 'payment_declined',
      });
      assert.ok((await declined) >= 1);
    });
  }

  it('takes the stock when the same idempotency key is retried with a good card after a decline', async () => {
    const userId = newShopper();
    const key = randomUUID();
    await fillCart(shop.clients, userId, [[SHEARS, 2]]);
    const stock = await stockOf(shop.clients, SHEARS);
    const declined = orderRequest(userId, { creditCard: { ...EXPIRED_CARD } });
    await refusal(shop.clients.checkout.placeOrder(declined, withIdempotencyKey(key)));
    await shop.clients.checkout.placeOrder(orderRequest(userId), withIdempotencyKey(key));
    assert.equal(await stockOf(shop.clients, SHEARS), stock - 2);
  });

  it('refuses an order for more than is in stock, naming the product, and charges nothing', async () => {
    await shop.clients.inventory.setStock({ productId: LANTERN, quantity: 1, lowStockThreshold: 0 });
    const userId = newShopper();
    await fillCart(shop.clients, userId, [
      [SHEARS, 1],
      [LANTERN, 2],
    ]);
    const before = await snapshot(shop, userId, SHEARS);
    const refused = await refusal(shop.clients.checkout.placeOrder(orderRequest(userId)));
    assert.equal(refused.code, status.FAILED_PRECONDITION);
    assert.match(refused.details, /Solar Glass Lantern: 1 left, 2 requested/);
    const now = await snapshot(shop, userId, SHEARS);
    assert.equal(now.stock, before.stock, 'stock of the other product was taken');
    assert.equal(await stockOf(shop.clients, LANTERN), 1);
    assert.equal(now.rows, 0);
    assert.equal(now.charges, before.charges);
    assert.equal(now.paid, before.paid);
    assert.equal(now.cart.length, 2);
    assert.equal(
      await counterValue(shop.metricsOf('checkout'), 'orders_total', { status: 'out_of_stock' }),
      1,
    );
  });
});

describe('PlaceOrder when the order cannot be stored after the charge', () => {
  let shop: InProcessShop;
  let unreachable: PromiseClient<typeof orders.OrderServiceService>;
  let persistFails = true;

  before(async () => {
    // Reads reach the order service; while persistFails, CreateOrder goes to a port nobody listens on.
    unreachable = createClient(orders.OrderServiceClient, orders.OrderServiceService, {
      address: `127.0.0.1:${await freePort()}`,
      metrics: new ServiceMetrics({ defaultMetrics: false }),
      deadlineMs: 1000,
    });
    shop = await startInProcessShop({
      now: testClock,
      checkoutDependencies: (dependencies) => ({
        ...dependencies,
        orders: {
          ...dependencies.orders,
          createOrder: (request, options) =>
            (persistFails ? unreachable : dependencies.orders).createOrder(request, options),
        },
      }),
    });
  });
  after(async () => {
    await shop.stop();
    unreachable.close();
  });

  it('answers UNAVAILABLE, voids the charge and releases the stock: never a paid order without a row', async () => {
    const userId = newShopper();
    await fillCart(shop.clients, userId, [[BOOTS, 3]]);
    const before = await snapshot(shop, userId, BOOTS);
    const refused = await refusal(
      shop.clients.checkout.placeOrder(orderRequest(userId), { deadlineMs: 20_000 }),
    );
    assert.equal(refused.code, status.UNAVAILABLE);
    assert.match(refused.details, /could not be saved; the charge was voided/);

    const now = await snapshot(shop, userId, BOOTS);
    assert.equal(now.charges, before.charges + 1, 'the card was not charged once');
    assert.equal(now.paid, before.paid + 1);
    assert.equal(now.voids, before.voids + 1);
    assert.equal(now.voided, before.voided + 1);
    assert.equal(now.released, before.released + 1);
    assert.equal(now.stock, before.stock);
    assert.equal(now.rows, 0);
    assert.deepEqual(now.cart, [{ productId: BOOTS, quantity: 3 }]);
    const voidLine = shop.logs
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.message === 'charge voided');
    const transactionId = String(voidLine?.['payment.transaction_id']);
    assert.equal(shop.ledger.find(transactionId)?.voided, true, 'the ledger shows no voided charge');
    const failures = await counterValue(shop.metricsOf('checkout'), 'orders_total', { status: 'failed' });
    assert.equal(failures, 1);
  });

  it('charges and takes stock afresh when the same idempotency key is retried after the compensation', async () => {
    const userId = newShopper();
    const key = randomUUID();
    await fillCart(shop.clients, userId, [[BOOTS, 1]]);
    const stock = await stockOf(shop.clients, BOOTS);
    persistFails = true;
    await refusal(shop.clients.checkout.placeOrder(orderRequest(userId), withIdempotencyKey(key)));
    persistFails = false;
    const { order } = await shop.clients.checkout.placeOrder(orderRequest(userId), withIdempotencyKey(key));
    const { order: stored } = await shop.clients.orders.getOrder({ orderId: order?.orderId ?? '', userId });
    assert.equal(
      shop.ledger.find(stored?.transactionId ?? '')?.voided,
      false,
      'the stored order was not paid',
    );
    assert.equal(await stockOf(shop.clients, BOOTS), stock - 1, 'the stored order took no stock');
  });
});
