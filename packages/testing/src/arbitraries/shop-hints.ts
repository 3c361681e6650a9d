import fc from 'fast-check';
import { ACCEPTED_CARD } from '../place-order.js';
import type { FieldHints } from './messages.js';

/** What the running shop knows, so generated requests can name real things some of the time. */
export interface ShopFacts {
  readonly productIds: readonly string[];
  readonly currencyCodes: readonly string[];
  /** A few shoppers whose carts the property fills and reads. */
  readonly userIds: readonly string[];
}

/**
 * Plausible values for the shop's field names (proto names, shared by its forms): real product
 * ids and currencies, a card that is accepted, small quantities and amounts. Mixed with hostile
 * values by messageArbitrary, they let a request pass one check and fail the next.
 */
export function shopHints(facts: ShopFacts): FieldHints {
  const productId = fc.constantFrom(...facts.productIds);
  const currency = fc.constantFrom(...facts.currencyCodes);
  const text = fc.constantFrom('1600 Amphitheatre Parkway', 'Mountain View', 'CA', 'United States', 'x');
  const id = fc.oneof(fc.uuid(), fc.constantFrom('order-1', 'ABC123', 'tx-0'));
  return {
    product_id: productId,
    product_ids: productId,
    id: productId,
    context_keys: fc.constantFrom('kitchen', 'accessories', 'clothing', 'footwear'),
    query: fc.constantFrom('sun', 'glass', 'a', 'mug'),
    currency_code: currency,
    to_code: currency,
    user_currency: currency,
    user_id: fc.constantFrom(...facts.userIds),
    email: fc.constantFrom('someone@example.com', 'ada@example.org'),
    credit_card_number: fc.constant(ACCEPTED_CARD.creditCardNumber),
    credit_card_cvv: fc.constant(ACCEPTED_CARD.creditCardCvv),
    credit_card_expiration_year: fc.constant(ACCEPTED_CARD.creditCardExpirationYear),
    credit_card_expiration_month: fc.integer({ min: 1, max: 12 }),
    quantity: fc.integer({ min: 1, max: 5 }),
    units: fc.bigInt(0n, 200n).map(String),
    nanos: fc.integer({ min: 0, max: 999_999_999 }),
    zip_code: fc.constant(94043),
    street_address: text,
    city: text,
    state: text,
    country: text,
    limit: fc.integer({ min: 1, max: 50 }),
    low_stock_threshold: fc.integer({ min: 0, max: 20 }),
    order_id: id,
    reservation_id: id,
    transaction_id: id,
    refund_id: id,
    return_id: id,
    password: fc.constantFrom('correct horse battery staple', 'hunter2hunter2'),
    name: fc.constantFrom('Ada Lovelace', 'Grace'),
    client_address: fc.constantFrom('127.0.0.1', '::1', '203.0.113.9'),
    reason: fc.constantFrom('customer asked', 'duplicate'),
  };
}
