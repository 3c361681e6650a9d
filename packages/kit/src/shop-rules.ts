/** Rules of the shop's language that more than one service checks. */

import type { orders } from '@glasshouse/contracts';

/** Most characters in a product id. */
export const PRODUCT_ID_MAX_LENGTH = 64;

/** A product id: letters, digits, `_` and `-` (Online Boutique's are ten capitals and digits). */
export const PRODUCT_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * An id the order service stores (order id, user id): letters, digits and `._:-`, at most 128.
 * Checkout refuses any other user id up front, before stock is reserved or a card charged.
 */
export const RECORD_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** An address a shopper may give: one `@`, a dotted domain, no spaces, within SMTP's lengths. */
export const EMAIL_ADDRESS = /^[^\s@]{1,64}@[^\s@]{1,255}\.[^\s@]{2,}$/;

/** The gRPC metadata key that makes a PlaceOrder or a Charge safe to retry. */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

/** Why PostgreSQL would refuse a text value (it stores no NUL character), or undefined when it takes it. */
export function storableTextProblem(field: string, value: string): string | undefined {
  return value.includes('\u0000') ? `${field}: must not contain a NUL character` : undefined;
}

/** Units of each product of an order not refunded yet, in the order's line order. */
export function quantitiesLeft(order: orders.Order): Map<string, number> {
  const left = new Map<string, number>();
  for (const line of order.items) {
    const productId = line.item?.productId ?? '';
    left.set(productId, (left.get(productId) ?? 0) + (line.item?.quantity ?? 0));
  }
  for (const refund of order.refunds)
    for (const item of refund.items)
      left.set(item.productId, (left.get(item.productId) ?? 0) - item.quantity);
  return left;
}
