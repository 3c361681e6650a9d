import type { hipstershop } from '@glasshouse/contracts';
import { PRODUCT_ID_MAX_LENGTH } from '@glasshouse/kit';

const MAX_FIELD_LENGTH = 200;
const MAX_ITEM_LINES = 500;

function textProblem(field: string, value: string, required: boolean): string | undefined {
  if (required && !value.trim()) return `address.${field}: is required`;
  if (value.length > MAX_FIELD_LENGTH) return `address.${field}: longer than ${MAX_FIELD_LENGTH} characters`;
  return undefined;
}

/** Why an address cannot be shipped to, naming the field, or undefined when it can. */
export function addressProblem(address: hipstershop.Address | undefined): string | undefined {
  if (!address) return 'address: is required';
  const problem =
    textProblem('street_address', address.streetAddress, true) ??
    textProblem('city', address.city, true) ??
    textProblem('state', address.state, false) ??
    textProblem('country', address.country, true);
  if (problem) return problem;
  if (!Number.isInteger(address.zipCode) || address.zipCode < 0)
    return 'address.zip_code: must not be negative';
  return undefined;
}

/** Why a list of cart items cannot be shipped, naming the item and field, or undefined. */
export function itemsProblem(items: readonly hipstershop.CartItem[]): string | undefined {
  if (items.length > MAX_ITEM_LINES) return `items: more than ${MAX_ITEM_LINES} lines`;
  for (const [index, item] of items.entries()) {
    const productId = item.productId.trim();
    if (!productId) return `items[${index}].product_id: is required`;
    if (productId.length > PRODUCT_ID_MAX_LENGTH)
      return `items[${index}].product_id: longer than ${PRODUCT_ID_MAX_LENGTH} characters`;
    if (!Number.isInteger(item.quantity) || item.quantity < 1)
      return `items[${index}].quantity: must be positive, got ${item.quantity}`;
  }
  return undefined;
}
