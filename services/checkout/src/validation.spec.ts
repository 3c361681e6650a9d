import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { status } from '@grpc/grpc-js';
import type { hipstershop } from '@glasshouse/contracts';
import type { InProcessShop } from '@glasshouse/testing';
import { counterValue, startInProcessShop } from '@glasshouse/testing';
import {
  ACCEPTED_CARD,
  SHIPPING_ADDRESS,
  fillCart,
  newShopper,
  orderRequest,
  stockOf,
  testClock,
} from '@glasshouse/testing';

type Changes = Partial<hipstershop.PlaceOrderRequest>;

const address = (changes: Partial<hipstershop.Address>): Changes => ({
  address: { ...SHIPPING_ADDRESS, ...changes },
});
const card = (changes: Partial<hipstershop.CreditCardInfo>): Changes => ({
  creditCard: { ...ACCEPTED_CARD, ...changes },
});

/** Refused before any other service is called: [field named in the reason, bad request]. */
const REQUEST_PROBLEMS: readonly (readonly [string, Changes])[] = [
  ['user_id', { userId: '' }],
  ['user_id', { userId: 'u'.repeat(129) }],
  // Blank (the cart refuses it) or not an id the order service stores: found by e2e/property-grpc.spec.ts.
  ['user_id', { userId: ' ' }],
  ['user_id', { userId: 'a b' }],
  ['user_currency', { userCurrency: 'eur' }],
  ['user_currency', { userCurrency: '' }],
  ['email', { email: 'not-an-email' }],
  ['email', { email: '' }],
  ['address', { address: undefined }],
  ['address.street_address', address({ streetAddress: '  ' })],
  ['address.city', address({ city: '' })],
  ['address.country', address({ country: '' })],
  ['address.zip_code', address({ zipCode: -1 })],
  ['address.city', address({ city: 'Mountain\u0000View' })],
  ['address.state', address({ state: 'C\u0000A' })],
  ['email', { email: 'some\u0000one@example.com' }],
  ['credit_card', { creditCard: undefined }],
  ['credit_card', card({ creditCardNumber: '' })],
];

/** Refused by the payment service once stock is reserved: the reservation must be released. */
const CARD_PROBLEMS: readonly (readonly [string, Changes])[] = [
  ['credit_card_number', card({ creditCardNumber: '4432-8015-abcd-0454' })],
  ['credit_card_cvv', card({ creditCardCvv: 0 })],
  ['credit_card_expiration_month', card({ creditCardExpirationMonth: 13 })],
  ['credit_card_expiration_year', card({ creditCardExpirationYear: 26 })],
  ['credit_card', card({ creditCardNumber: '378282246310005' })],
];

const TEAPOT = 'K2TP7GS0WB';

describe('PlaceOrder input checks', () => {
  let shop: InProcessShop;
  const refusal = async (request: hipstershop.PlaceOrderRequest) =>
    shop.clients.checkout.placeOrder(request).then(
      () => assert.fail('the order was placed'),
      (error: unknown) => error as { code: number; details: string },
    );

  before(async () => {
    shop = await startInProcessShop({ now: testClock });
  });
  after(() => shop.stop());

  it('answers INVALID_ARGUMENT naming the bad field, before reading the cart', async () => {
    const invalid = () => counterValue(shop.metricsOf('checkout'), 'orders_total', { status: 'invalid' });
    const before = await invalid();
    const userId = newShopper();
    await fillCart(shop.clients, userId, [[TEAPOT, 1]]);
    for (const [field, changes] of REQUEST_PROBLEMS) {
      const error = await refusal(orderRequest(userId, changes));
      assert.equal(error.code, status.INVALID_ARGUMENT, field);
      assert.ok(error.details.startsWith(`${field}:`), `${field}: ${error.details}`);
    }
    assert.equal(await invalid(), before + REQUEST_PROBLEMS.length);
    assert.equal(shop.ledger.size, 0);
    assert.equal((await shop.clients.cart.getCart({ userId })).items.length, 1);
  });

  it('answers INVALID_ARGUMENT naming the card field the payment service refused, and releases the stock', async () => {
    const userId = newShopper();
    await fillCart(shop.clients, userId, [[TEAPOT, 2]]);
    const stock = await stockOf(shop.clients, TEAPOT);
    for (const [field, changes] of CARD_PROBLEMS) {
      const error = await refusal(orderRequest(userId, changes));
      assert.equal(error.code, status.INVALID_ARGUMENT, field);
      assert.ok(error.details.startsWith(`${field}:`), `${field}: ${error.details}`);
      assert.equal(await stockOf(shop.clients, TEAPOT), stock, `stock after ${field}`);
    }
    assert.equal(shop.ledger.size, 0);
    const rows = await shop.clients.orders.listOrders({ userId, limit: 0 });
    assert.equal(rows.orders.length, 0);
  });

  it('answers INVALID_ARGUMENT naming user_currency for a currency the shop does not sell in', async () => {
    const userId = newShopper();
    await fillCart(shop.clients, userId, [[TEAPOT, 1]]);
    const stock = await stockOf(shop.clients, TEAPOT);
    const error = await refusal(orderRequest(userId, { userCurrency: 'XYZ' }));
    assert.equal(error.code, status.INVALID_ARGUMENT);
    assert.match(error.details, /^user_currency: .*XYZ.* not supported/);
    // Refused while pricing: nothing was taken from stock.
    assert.equal(await stockOf(shop.clients, TEAPOT), stock);
  });

  it('answers FAILED_PRECONDITION for an empty cart, and a product no longer sold', async () => {
    const empty = await refusal(orderRequest(newShopper()));
    assert.equal(empty.code, status.FAILED_PRECONDITION);
    assert.match(empty.details, /the cart is empty/);

    const userId = newShopper();
    await fillCart(shop.clients, userId, [['NOSUCHPROD', 1]]);
    const gone = await refusal(orderRequest(userId));
    assert.equal(gone.code, status.FAILED_PRECONDITION);
    assert.match(gone.details, /product NOSUCHPROD is no longer sold/);
  });
});
