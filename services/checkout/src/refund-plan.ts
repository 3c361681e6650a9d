import { createHash } from 'node:crypto';
import { orders } from '@glasshouse/contracts';
import { quantitiesLeft } from '@glasshouse/kit';
import type { Money } from '@glasshouse/money';
import { add, fromNanos, multiply, sum, toNanos, zero } from '@glasshouse/money';

export interface RefundLine {
  productId: string;
  quantity: number;
}

/** What a refund gives back: the items, and the money for them. */
export interface RefundPlan {
  items: RefundLine[];
  amount: Money;
}

/**
 * The id a refund goes by in the payment ledger and the inventory: unique across orders (the
 * caller's refund id is only unique within one), and the same on every retry.
 */
export function refundKey(orderId: string, refundId: string): string {
  return `rf-${createHash('sha256').update(`${orderId}\n${refundId}`).digest('hex').slice(0, 40)}`;
}

/**
 * The items and amount of a new refund, or why there is none. No items asked means all that is
 * left. Each item gives back its price; the refund that leaves nothing gives back all that is
 * left of the total, shipping included, so an order's refunds add up to exactly its total.
 */
export function planRefund(
  order: orders.Order,
  asked: readonly RefundLine[],
): RefundPlan | { problem: string } {
  if (order.status === orders.OrderStatus.ORDER_STATUS_CANCELLED)
    return { problem: 'the order was cancelled: there is nothing to refund' };
  const left = quantitiesLeft(order);
  const items =
    asked.length > 0
      ? asked.map(({ productId, quantity }) => ({ productId, quantity }))
      : [...left]
          .filter(([, quantity]) => quantity > 0)
          .map(([productId, quantity]) => ({ productId, quantity }));
  if (items.length === 0) return { problem: 'the order is refunded in full: nothing is left to refund' };

  const currencyCode = order.total?.currencyCode ?? 'USD';
  const prices = new Map(order.items.map((line) => [line.item?.productId ?? '', line.cost]));
  let amount = zero(currencyCode);
  for (const { productId, quantity } of items) {
    const available = left.get(productId);
    if (available === undefined) return { problem: `product ${productId} is not part of this order` };
    if (quantity > available)
      return {
        problem: `only ${available} of product ${productId} ${available === 1 ? 'is' : 'are'} left to refund`,
      };
    left.set(productId, available - quantity);
    amount = add(amount, multiply(prices.get(productId) ?? zero(currencyCode), quantity));
  }
  if ([...left.values()].every((quantity) => quantity <= 0) && order.total) {
    const refundedBefore = sum(
      currencyCode,
      order.refunds.flatMap((refund) => (refund.amount ? [refund.amount] : [])),
    );
    amount = fromNanos(currencyCode, toNanos(order.total) - toNanos(refundedBefore));
  }
  return { items, amount };
}
