import { orders } from '@glasshouse/contracts';
import { PRODUCT_ID, RECORD_ID, maskEmail, storableTextProblem } from '@glasshouse/kit';
import type { Money } from '@glasshouse/money';
import { moneyProblem } from '@glasshouse/money';

/** Order and user ids: UUIDs, session ids and the like; nothing that needs escaping anywhere. */
export const ID = RECORD_ID;
/** More lines than any cart holds; keeps a single order's insert bounded. */
export const MAX_ITEMS = 200;

const STATUSES: ReadonlySet<orders.OrderStatus> = new Set([
  orders.OrderStatus.ORDER_STATUS_UNSPECIFIED,
  orders.OrderStatus.ORDER_STATUS_PLACED,
  orders.OrderStatus.ORDER_STATUS_CANCELLED,
]);

const shown = (text: string): string => JSON.stringify(text.slice(0, 64));

/** Why an id field is unacceptable, or undefined. */
export function idProblem(field: string, value: string): string | undefined {
  if (!value) return `${field}: required`;
  if (!ID.test(value)) return `${field}: ${shown(value)} is not a valid id`;
  return undefined;
}

function amountProblem(field: string, money: Money | undefined, currencyCode?: string): string | undefined {
  const problem = moneyProblem(money);
  if (problem) return `${field}: ${problem}`;
  if (money && (money.units < 0n || money.nanos < 0)) return `${field}: must not be negative`;
  if (money && currencyCode && money.currencyCode !== currencyCode)
    return `${field}: currency ${money.currencyCode} differs from the total's ${currencyCode}`;
  return undefined;
}

/**
 * Why an order cannot be stored, as `field: reason`, or undefined when it can. Checked before
 * the database is touched, so a bad order never leaves half a record behind.
 */
export function orderProblem(order: orders.Order | undefined): string | undefined {
  if (!order) return 'order: required';
  const idIssue = idProblem('order.order_id', order.orderId) ?? idProblem('order.user_id', order.userId);
  if (idIssue) return idIssue;
  if (!STATUSES.has(order.status)) return `order.status: ${order.status} is not an order status`;
  const totalIssue = amountProblem('order.total', order.total);
  if (totalIssue) return totalIssue;
  const currency = order.total?.currencyCode;
  if (order.shippingCost) {
    const shippingIssue = amountProblem('order.shipping_cost', order.shippingCost, currency);
    if (shippingIssue) return shippingIssue;
  }
  if (order.items.length === 0) return 'order.items: at least one item is required';
  if (order.items.length > MAX_ITEMS) return `order.items: more than ${MAX_ITEMS} lines`;
  const seen = new Set<string>();
  for (const [index, line] of order.items.entries()) {
    const field = `order.items[${index}]`;
    const productId = line.item?.productId ?? '';
    if (!PRODUCT_ID.test(productId))
      return `${field}.item.product_id: ${shown(productId)} is not a product id`;
    if (seen.has(productId)) return `${field}.item.product_id: ${shown(productId)} appears more than once`;
    seen.add(productId);
    const quantity = line.item?.quantity ?? 0;
    if (!Number.isInteger(quantity) || quantity <= 0) return `${field}.item.quantity: must be positive`;
    const costIssue = amountProblem(`${field}.cost`, line.cost, currency);
    if (costIssue) return costIssue;
  }
  return undefined;
}

/** The address as stored: masked even when a caller sent it in full (a***@example.com stays as it is). */
export function emailForStorage(email: string): string {
  if (!email || /^.\*\*\*@/.test(email)) return email;
  return maskEmail(email);
}

const MAX_TEXT = 200;

/** Why a refund to record is unacceptable, as `field: reason`, or undefined. */
export function refundProblem(refund: orders.OrderRefund | undefined): string | undefined {
  if (!refund) return 'refund: required';
  const idIssue = idProblem('refund.refund_id', refund.refundId);
  if (idIssue) return idIssue;
  if (refund.items.length === 0) return 'refund.items: at least one item is required';
  if (refund.items.length > MAX_ITEMS) return `refund.items: more than ${MAX_ITEMS} lines`;
  const seen = new Set<string>();
  for (const [index, item] of refund.items.entries()) {
    const field = `refund.items[${index}]`;
    if (!PRODUCT_ID.test(item.productId))
      return `${field}.product_id: ${shown(item.productId)} is not a product id`;
    if (seen.has(item.productId))
      return `${field}.product_id: ${shown(item.productId)} appears more than once`;
    seen.add(item.productId);
    if (!Number.isInteger(item.quantity) || item.quantity <= 0) return `${field}.quantity: must be positive`;
  }
  const amountIssue = amountProblem('refund.amount', refund.amount);
  if (amountIssue) return amountIssue;
  if (!refund.actor) return 'refund.actor: required';
  for (const [field, text] of [
    ['refund.reason', refund.reason],
    ['refund.actor', refund.actor],
    ['refund.client_address', refund.clientAddress],
  ] as const) {
    if (text.length > MAX_TEXT) return `${field}: longer than ${MAX_TEXT} characters`;
    const problem = storableTextProblem(field, text);
    if (problem) return problem;
  }
  return undefined;
}
