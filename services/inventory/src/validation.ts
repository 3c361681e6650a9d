import type { inventory } from '@glasshouse/contracts';
import { PRODUCT_ID } from '@glasshouse/kit';

/** Reservation ids are chosen by the caller (checkout uses the order id). */
export const RESERVATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;
export const MAX_QUANTITY_PER_ITEM = 999;
export const MAX_ITEMS = 100;
/** Most product ids one GetStock may ask about. */
export const MAX_LOOKUP = 500;
/** Bounds restocking so a typo cannot put billions of units on the shelf. */
export const MAX_STOCK = 1_000_000;

const shown = (text: string): string => JSON.stringify(text.slice(0, 64));

export function productIdProblem(field: string, id: string): string | undefined {
  return PRODUCT_ID.test(id) ? undefined : `${field}: ${shown(id)} is not a product id`;
}

export function reservationIdProblem(id: string): string | undefined {
  if (!id) return 'reservation_id: required';
  return RESERVATION_ID.test(id) ? undefined : `reservation_id: ${shown(id)} is not a valid id`;
}

/** Why a reservation request is malformed, as `field: reason`, or undefined. */
export function reservationProblem(request: inventory.ReserveStockRequest): string | undefined {
  const idIssue = reservationIdProblem(request.reservationId);
  if (idIssue) return idIssue;
  if (request.items.length === 0) return 'items: at least one item is required';
  if (request.items.length > MAX_ITEMS) return `items: more than ${MAX_ITEMS} items`;
  const seen = new Set<string>();
  for (const [index, item] of request.items.entries()) {
    const productIssue = productIdProblem(`items[${index}].product_id`, item.productId);
    if (productIssue) return productIssue;
    if (seen.has(item.productId))
      return `items[${index}].product_id: ${shown(item.productId)} appears more than once`;
    seen.add(item.productId);
    if (!Number.isInteger(item.quantity) || item.quantity < 1 || item.quantity > MAX_QUANTITY_PER_ITEM)
      return `items[${index}].quantity: ${item.quantity} is outside 1–${MAX_QUANTITY_PER_ITEM}`;
  }
  return undefined;
}

/** Why a ReturnStock request is malformed, as `field: reason`, or undefined. */
export function returnProblem(request: inventory.ReturnStockRequest): string | undefined {
  if (!RESERVATION_ID.test(request.returnId))
    return `return_id: ${shown(request.returnId)} is not a valid id`;
  const problem = reservationProblem({ reservationId: request.returnId, items: request.items });
  return problem?.replace(/^reservation_id/, 'return_id');
}

/** Why a restocking request is malformed, or undefined. */
export function stockProblem(request: inventory.SetStockRequest): string | undefined {
  const productIssue = productIdProblem('product_id', request.productId);
  if (productIssue) return productIssue;
  for (const [field, value] of [
    ['quantity', request.quantity],
    ['low_stock_threshold', request.lowStockThreshold],
  ] as const) {
    if (!Number.isInteger(value) || value < 0) return `${field}: must not be negative`;
    if (value > MAX_STOCK) return `${field}: more than ${MAX_STOCK}`;
  }
  return undefined;
}
