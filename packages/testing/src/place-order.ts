import { Metadata } from '@grpc/grpc-js';
import { randomUUID } from 'node:crypto';
import type { hipstershop } from '@glasshouse/contracts';
import type { ShopClients } from './shop-clients.js';
import { IDEMPOTENCY_KEY_HEADER } from '@glasshouse/kit';

/** The instant the tests' payment service lives in, so expiry checks do not age. */
export const TEST_TODAY = new Date('2026-06-15T12:00:00Z');
export const testClock = (): Date => TEST_TODAY;

/** Online Boutique's test VISA card, valid at TEST_TODAY. */
export const ACCEPTED_CARD: hipstershop.CreditCardInfo = Object.freeze({
  creditCardNumber: '4432801561520454',
  creditCardCvv: 672,
  creditCardExpirationYear: 2030,
  creditCardExpirationMonth: 1,
});

/** Expired at TEST_TODAY (May 2026). */
export const EXPIRED_CARD: hipstershop.CreditCardInfo = Object.freeze({
  ...ACCEPTED_CARD,
  creditCardExpirationYear: 2026,
  creditCardExpirationMonth: 5,
});

/** The last digit changed: the number fails the Luhn check. */
export const BAD_LUHN_CARD: hipstershop.CreditCardInfo = Object.freeze({
  ...ACCEPTED_CARD,
  creditCardNumber: '4432801561520455',
});

export const SHIPPING_ADDRESS: hipstershop.Address = Object.freeze({
  streetAddress: '1600 Amphitheatre Parkway',
  city: 'Mountain View',
  state: 'CA',
  country: 'United States',
  zipCode: 94043,
});

/** A shopper with a fresh id, so tests sharing a shop never share a cart or an order list. */
export const newShopper = (label = 'shopper'): string => `${label}-${randomUUID()}`;

/** A PlaceOrder request that checkout accepts, with `changes` applied. */
export function orderRequest(
  userId: string,
  changes: Partial<hipstershop.PlaceOrderRequest> = {},
): hipstershop.PlaceOrderRequest {
  return {
    userId,
    userCurrency: 'EUR',
    address: { ...SHIPPING_ADDRESS },
    email: 'someone@example.com',
    creditCard: { ...ACCEPTED_CARD },
    ...changes,
  };
}

/** Call options carrying an idempotency key (and a deadline long enough for a busy shop). */
export function withIdempotencyKey(key: string): { metadata: Metadata; deadlineMs: number } {
  const metadata = new Metadata();
  metadata.set(IDEMPOTENCY_KEY_HEADER, key);
  return { metadata, deadlineMs: 20_000 };
}

/** Puts products in a shopper's cart: [product id, quantity] pairs. */
export async function fillCart(
  clients: ShopClients,
  userId: string,
  items: readonly (readonly [string, number])[],
): Promise<void> {
  for (const [productId, quantity] of items) {
    await clients.cart.addItem({ userId, item: { productId, quantity } });
  }
}

/** Units of a product in stock now. */
export async function stockOf(clients: ShopClients, productId: string): Promise<number> {
  const { levels } = await clients.inventory.getStock({ productIds: [productId] });
  const level = levels[0];
  if (!level) throw new Error(`no stock level for ${productId}`);
  return level.quantity;
}
