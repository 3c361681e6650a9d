import type { hipstershop } from '@glasshouse/contracts';
import { moneyProblem } from '@glasshouse/money';

const MAX_EMAIL_LENGTH = 254;
const MAX_TEXT_LENGTH = 200;
const MAX_ITEMS = 500;
// Stricter than the shop's EMAIL_ADDRESS: this address goes into a mail header. Deliberately
// simple still: one @, no spaces, a dotted domain of letters, digits and hyphens.
const EMAIL =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;
// Ids end up in a mail header: no whitespace or control characters.
const ORDER_ID = /^[\x21-\x7e]{1,128}$/;

/** Whether an address is one the shop will mail; reasons never quote it back. */
export function emailProblem(email: string): string | undefined {
  const trimmed = email.trim();
  if (!trimmed) return 'email: is required';
  if (trimmed.length > MAX_EMAIL_LENGTH) return `email: longer than ${MAX_EMAIL_LENGTH} characters`;
  return EMAIL.test(trimmed) ? undefined : 'email: is not a valid email address';
}

const tooLong = (field: string, value: string): string | undefined =>
  value.length > MAX_TEXT_LENGTH ? `${field}: longer than ${MAX_TEXT_LENGTH} characters` : undefined;

function addressProblem(address: hipstershop.Address | undefined): string | undefined {
  if (!address) return undefined;
  const fields: [string, string][] = [
    ['street_address', address.streetAddress],
    ['city', address.city],
    ['state', address.state],
    ['country', address.country],
  ];
  for (const [field, value] of fields) {
    const problem = tooLong(`order.shipping_address.${field}`, value);
    if (problem) return problem;
  }
  return undefined;
}

function itemsProblem(
  items: readonly hipstershop.OrderItem[],
  currency: string | undefined,
): string | undefined {
  if (items.length > MAX_ITEMS) return `order.items: more than ${MAX_ITEMS} items`;
  for (const [index, { item, cost }] of items.entries()) {
    const field = `order.items[${index}]`;
    if (!item) return `${field}.item: is required`;
    if (!item.productId.trim()) return `${field}.item.product_id: is required`;
    const idProblem = tooLong(`${field}.item.product_id`, item.productId);
    if (idProblem) return idProblem;
    if (!Number.isInteger(item.quantity) || item.quantity < 1)
      return `${field}.item.quantity: must be positive`;
    const costProblem = moneyProblem(cost);
    if (costProblem) return `${field}.cost: ${costProblem}`;
    if (currency && cost?.currencyCode !== currency)
      return `${field}.cost: currency ${cost?.currencyCode} differs from the order's ${currency}`;
  }
  return undefined;
}

/** Why a confirmation cannot be sent, naming the field, or undefined when it can. */
export function confirmationProblem(request: hipstershop.SendOrderConfirmationRequest): string | undefined {
  const problem = emailProblem(request.email);
  if (problem) return problem;
  const order = request.order;
  if (!order) return 'order: is required';
  if (!order.orderId.trim()) return 'order.order_id: is required';
  if (!ORDER_ID.test(order.orderId)) return 'order.order_id: must be 1–128 visible ASCII characters';
  const shipping = order.shippingCost;
  const shippingProblem = shipping && moneyProblem(shipping);
  if (shippingProblem) return `order.shipping_cost: ${shippingProblem}`;
  return (
    tooLong('order.shipping_tracking_id', order.shippingTrackingId) ??
    addressProblem(order.shippingAddress) ??
    itemsProblem(order.items, shipping?.currencyCode ?? order.items[0]?.cost?.currencyCode)
  );
}
