import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Money } from '@glasshouse/money';
import { add, multiply, sum } from '@glasshouse/money';
import type { InProcessShop } from '@glasshouse/testing';
import { counterValue, startInProcessShop } from '@glasshouse/testing';
import {
  ACCEPTED_CARD,
  fillCart,
  newShopper,
  orderRequest,
  stockOf,
  testClock,
  withIdempotencyKey,
} from '@glasshouse/testing';

const TERRARIUM = 'OLJCESPC7Z';
const WATERING_CAN = '66VCHSJNUP';
const APRON = '1YMWWN1N4O';

describe('PlaceOrder over the whole shop', () => {
  let shop: InProcessShop;
  const charges = () => counterValue(shop.metricsOf('payment'), 'payments_total', { status: 'success' });
  const orders = (status: string) => counterValue(shop.metricsOf('checkout'), 'orders_total', { status });
  const rowsOf = async (userId: string) =>
    (await shop.clients.orders.listOrders({ userId, limit: 0 })).orders;
  /**
   * Called before a shopper's one-terrarium order is placed (and maybe repeated); the check it
   * returns asserts what exactly one order leaves: a charge, a ledger entry, a stored row, a unit of stock.
   */
  const exactlyOneTerrariumOrder = async (userId: string) => {
    const stockBefore = await stockOf(shop.clients, TERRARIUM);
    const [chargesBefore, ledgerBefore] = [await charges(), shop.ledger.size];
    return async () => {
      assert.equal(await charges(), chargesBefore + 1);
      assert.equal(shop.ledger.size, ledgerBefore + 1);
      assert.equal((await rowsOf(userId)).length, 1);
      assert.equal(await stockOf(shop.clients, TERRARIUM), stockBefore - 1);
    };
  };

  before(async () => {
    shop = await startInProcessShop({ now: testClock });
  });
  after(() => shop.stop());

  it('places an order priced in the shopper currency, stores it, takes stock and empties the cart', async () => {
    const { clients } = shop;
    const userId = newShopper();
    await fillCart(clients, userId, [
      [TERRARIUM, 2],
      [WATERING_CAN, 1],
    ]);
    const stockBefore = [await stockOf(clients, TERRARIUM), await stockOf(clients, WATERING_CAN)];
    const [chargesBefore, placedBefore] = [await charges(), await orders('placed')];

    const { order } = await clients.checkout.placeOrder(orderRequest(userId), { deadlineMs: 20_000 });
    assert.ok(order);
    assert.match(order.orderId, /^[0-9a-f-]{36}$/);
    assert.match(order.shippingTrackingId, /\S{6,}/);
    assert.equal(order.shippingCost?.currencyCode, 'EUR');
    assert.ok((order.shippingCost?.units ?? 0n) > 0n, 'shipping is not free');
    const bought = order.items.map((i) => [i.item?.productId, i.item?.quantity]);
    assert.deepEqual(bought.sort(), [
      [WATERING_CAN, 1],
      [TERRARIUM, 2],
    ]);
    for (const line of order.items) {
      const product = await clients.catalog.getProduct({ id: line.item?.productId ?? '' });
      const inEuros = await clients.currency.convert({ from: product.priceUsd, toCode: 'EUR' });
      assert.deepEqual(line.cost, inEuros, `price of ${product.id}`);
    }

    const { order: stored } = await clients.orders.getOrder({ orderId: order.orderId, userId });
    assert.equal(stored?.orderId, order.orderId);
    assert.equal(stored?.shippingTrackingId, order.shippingTrackingId);
    assert.equal(stored?.items.length, 2);
    const lines = order.items.map((i) => multiply(i.cost as Money, i.item?.quantity ?? 0));
    assert.deepEqual(stored?.total, add(sum('EUR', lines), order.shippingCost));
    const charge = shop.ledger.find(stored?.transactionId ?? '');
    assert.deepEqual(charge, { amount: stored?.total, voided: false });

    assert.deepEqual(
      [await stockOf(clients, TERRARIUM), await stockOf(clients, WATERING_CAN)],
      [(stockBefore[0] ?? 0) - 2, (stockBefore[1] ?? 0) - 1],
    );
    assert.deepEqual((await clients.cart.getCart({ userId })).items, []);
    assert.equal(await charges(), chargesBefore + 1);
    assert.equal(await orders('placed'), placedBefore + 1);
  });

  it('keeps the card number out of every log line and logs the email only masked', async () => {
    const userId = newShopper();
    await fillCart(shop.clients, userId, [[APRON, 1]]);
    await shop.clients.checkout.placeOrder(orderRequest(userId, { email: 'ada.lovelace@example.com' }));
    const confirmation = shop.logs.find((line) => line.includes('confirmation rendered'));
    assert.ok(confirmation, 'the email service logged no confirmation');
    const text = shop.logs.join('\n');
    assert.ok(!text.includes(ACCEPTED_CARD.creditCardNumber), 'a card number was logged');
    assert.ok(!text.includes('ada.lovelace@'), 'an email address was logged in clear');
  });

  it('places one order for two calls with the same idempotency key, one after the other', async () => {
    const { clients } = shop;
    const userId = newShopper();
    await fillCart(clients, userId, [[TERRARIUM, 1]]);
    const expectOneOrder = await exactlyOneTerrariumOrder(userId);
    const duplicatesBefore = await orders('duplicate');
    const key = randomUUID();

    const first = await clients.checkout.placeOrder(orderRequest(userId), withIdempotencyKey(key));
    const again = await clients.checkout.placeOrder(orderRequest(userId), withIdempotencyKey(key));
    assert.equal(again.order?.orderId, first.order?.orderId);
    assert.equal(again.order?.shippingTrackingId, first.order?.shippingTrackingId);
    assert.equal(await orders('duplicate'), duplicatesBefore + 1);
    await expectOneOrder();
  });

  it('places one order for two concurrent calls with the same idempotency key', async () => {
    const { clients } = shop;
    const userId = newShopper();
    await fillCart(clients, userId, [
      [TERRARIUM, 1],
      [APRON, 3],
    ]);
    const stockBefore = [await stockOf(clients, TERRARIUM), await stockOf(clients, APRON)];
    const [chargesBefore, ledgerBefore] = [await charges(), shop.ledger.size];
    const key = randomUUID();

    const answers = await Promise.all(
      [1, 2].map(() => clients.checkout.placeOrder(orderRequest(userId), withIdempotencyKey(key))),
    );
    const ids = answers.map((a) => a.order?.orderId);
    assert.ok(ids[0]);
    assert.equal(ids[1], ids[0]);

    assert.equal(await charges(), chargesBefore + 1);
    assert.equal(shop.ledger.size, ledgerBefore + 1);
    const rows = await rowsOf(userId);
    assert.deepEqual(
      rows.map((r) => r.orderId),
      [ids[0]],
    );
    assert.deepEqual(
      [await stockOf(clients, TERRARIUM), await stockOf(clients, APRON)],
      [(stockBefore[0] ?? 0) - 1, (stockBefore[1] ?? 0) - 3],
    );
  });

  it('answers a repeat whose cart was filled again with the stored order, taking and charging nothing more', async () => {
    const { clients } = shop;
    const userId = newShopper();
    await fillCart(clients, userId, [[TERRARIUM, 1]]);
    const expectOneOrder = await exactlyOneTerrariumOrder(userId);
    const [duplicatesBefore, placedBefore] = [await orders('duplicate'), await orders('placed')];
    const key = randomUUID();

    const first = await clients.checkout.placeOrder(orderRequest(userId), withIdempotencyKey(key));
    // As if emptying the cart had failed after the first order.
    await fillCart(clients, userId, [[TERRARIUM, 1]]);
    const again = await clients.checkout.placeOrder(orderRequest(userId), withIdempotencyKey(key));
    assert.deepEqual(again.order, first.order);
    assert.equal(await orders('duplicate'), duplicatesBefore + 1);
    assert.equal(await orders('placed'), placedBefore + 1);
    await expectOneOrder();
  });

  it('never undoes a placed order when its repeat is refused', async () => {
    const { clients } = shop;
    const userId = newShopper();
    await fillCart(clients, userId, [[WATERING_CAN, 1]]);
    const stockBefore = await stockOf(clients, WATERING_CAN);
    const key = randomUUID();

    const first = await clients.checkout.placeOrder(orderRequest(userId), withIdempotencyKey(key));
    await fillCart(clients, userId, [[WATERING_CAN, 1]]);
    const expired = { ...ACCEPTED_CARD, creditCardExpirationYear: 2020 };
    const again = await clients.checkout.placeOrder(
      orderRequest(userId, { creditCard: expired }),
      withIdempotencyKey(key),
    );
    assert.equal(again.order?.orderId, first.order?.orderId);
    const { order: stored } = await clients.orders.getOrder({ orderId: first.order?.orderId ?? '', userId });
    assert.equal(shop.ledger.find(stored?.transactionId ?? '')?.voided, false, 'the charge was voided');
    assert.equal(await stockOf(clients, WATERING_CAN), stockBefore - 1, 'the stock went back');
  });

  it('places separate orders for the same cart contents under different keys', async () => {
    const userId = newShopper();
    const ids: string[] = [];
    for (const key of [randomUUID(), randomUUID()]) {
      await fillCart(shop.clients, userId, [[WATERING_CAN, 1]]);
      const { order } = await shop.clients.checkout.placeOrder(orderRequest(userId), withIdempotencyKey(key));
      ids.push(order?.orderId ?? '');
    }
    assert.notEqual(ids[0], ids[1]);
    const rows = await rowsOf(userId);
    assert.deepEqual(rows.map((r) => r.orderId).sort(), [...ids].sort());
  });
});
