import { orders } from '@glasshouse/contracts';
import type { Database, Queryable } from '@glasshouse/kit';
import { quantitiesLeft } from '@glasshouse/kit';
import type { Money } from '@glasshouse/money';
import { add, sum, toNanos } from '@glasshouse/money';
import type { OrderRepository } from './repository.js';
import { statusOf, statusText } from './repository.js';

type Order = orders.Order;
type OrderRefund = orders.OrderRefund;

/** What a caller asks to record; the statuses and the time are the service's. */
export interface NewRefund {
  refundId: string;
  /** Every line at least one unit; product ids unique. */
  items: { productId: string; quantity: number }[];
  amount: Money;
  reason: string;
  actor: string;
  clientAddress: string;
}

export type RefundRecording =
  | { outcome: 'recorded' | 'already recorded'; order: Order; refund: OrderRefund }
  | { outcome: 'unknown order' }
  | { outcome: 'not refundable'; status: orders.OrderStatus }
  | { outcome: 'more than is left'; problem: string };

type RefundLine = NewRefund['items'][number];

interface RefundRow {
  order_id: string;
  refund_id: string;
  /** jsonb: parsed by pg, text from some drivers. */
  items: RefundLine[] | string;
  amount_units: bigint | string;
  amount_nanos: number;
  reason: string;
  actor: string;
  client_address: string;
  status_before: string;
  status_after: string;
  refunded_at: Date | string;
}

const REFUND_COLUMNS =
  'order_id, refund_id, items, amount_units, amount_nanos, reason, actor, client_address, ' +
  'status_before, status_after, refunded_at';

const REFUNDABLE: ReadonlySet<orders.OrderStatus> = new Set([
  orders.OrderStatus.ORDER_STATUS_PLACED,
  orders.OrderStatus.ORDER_STATUS_PARTIALLY_REFUNDED,
]);

function toRefund(row: RefundRow, currencyCode: string): OrderRefund {
  const items: RefundLine[] =
    typeof row.items === 'string' ? (JSON.parse(row.items) as RefundLine[]) : row.items;
  return {
    refundId: row.refund_id,
    items: items.map(({ productId, quantity }) => ({ productId, quantity })),
    amount: { currencyCode, units: BigInt(row.amount_units), nanos: Number(row.amount_nanos) },
    reason: row.reason,
    actor: row.actor,
    clientAddress: row.client_address,
    statusBefore: statusOf(row.status_before),
    statusAfter: statusOf(row.status_after),
    refundedAt: new Date(row.refunded_at),
  };
}

/** Why these items cannot be refunded from what is left, or undefined. */
function excessOf(left: ReadonlyMap<string, number>, items: NewRefund['items']): string | undefined {
  for (const { productId, quantity } of items) {
    const available = left.get(productId);
    if (available === undefined) return `product ${productId} is not part of this order`;
    if (quantity > available)
      return `only ${available} of product ${productId} ${available === 1 ? 'is' : 'are'} left to refund`;
  }
  return undefined;
}

/** Refunds of orders, recorded beside them in the order service's schema. */
export class RefundRepository {
  constructor(
    private readonly db: Database,
    private readonly schema: string,
    private readonly orderRepository: OrderRepository,
  ) {}

  /** Any user's order with its refunds; undefined when there is none. */
  async lookUp(orderId: string): Promise<Order | undefined> {
    const order = await this.orderRepository.find(orderId);
    if (!order) return undefined;
    return { ...order, refunds: await this.refundsOf(this.db, order) };
  }

  /**
   * Records a refund and moves the order's status, in one transaction that holds the order's
   * row lock, so two refunds of one order never give back more than it had.
   */
  async record(orderId: string, refund: NewRefund): Promise<RefundRecording> {
    return this.db.transaction(async (tx) => {
      const [locked] = await tx.query<{ status: string }>(
        `SELECT status FROM ${this.schema}.orders WHERE order_id = $1 FOR UPDATE`,
        [orderId],
      );
      if (!locked) return { outcome: 'unknown order' };
      // Read after the lock, so the lines and refunds are those no other refund is changing.
      const stored = await this.orderRepository.find(orderId, tx);
      if (!stored) return { outcome: 'unknown order' };
      const order: Order = { ...stored, refunds: await this.refundsOf(tx, stored) };
      const earlier = order.refunds.find((r) => r.refundId === refund.refundId);
      if (earlier) return { outcome: 'already recorded', order, refund: earlier };
      if (!REFUNDABLE.has(order.status)) return { outcome: 'not refundable', status: order.status };

      const left = quantitiesLeft(order);
      const excess = excessOf(left, refund.items);
      if (excess) return { outcome: 'more than is left', problem: excess };
      const currencyCode = order.total?.currencyCode ?? refund.amount.currencyCode;
      if (refund.amount.currencyCode !== currencyCode)
        return { outcome: 'more than is left', problem: `the order is in ${currencyCode}` };
      const refundedBefore = sum(
        currencyCode,
        order.refunds.flatMap((r) => (r.amount ? [r.amount] : [])),
      );
      if (order.total && toNanos(add(refundedBefore, refund.amount)) > toNanos(order.total))
        return { outcome: 'more than is left', problem: 'the refunds would exceed the order total' };

      for (const { productId, quantity } of refund.items)
        left.set(productId, (left.get(productId) ?? 0) - quantity);
      const after = [...left.values()].every((quantity) => quantity <= 0)
        ? orders.OrderStatus.ORDER_STATUS_REFUNDED
        : orders.OrderStatus.ORDER_STATUS_PARTIALLY_REFUNDED;
      const [row] = await tx.query<RefundRow>(
        `INSERT INTO ${this.schema}.order_refunds
           (order_id, refund_id, items, amount_units, amount_nanos, reason, actor, client_address,
            status_before, status_after)
         VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7, $8, $9, $10)
         RETURNING ${REFUND_COLUMNS}`,
        [
          orderId,
          refund.refundId,
          JSON.stringify(refund.items),
          refund.amount.units.toString(),
          refund.amount.nanos,
          refund.reason,
          refund.actor,
          refund.clientAddress,
          statusText(order.status),
          statusText(after),
        ],
      );
      await tx.query(`UPDATE ${this.schema}.orders SET status = $2 WHERE order_id = $1`, [
        orderId,
        statusText(after),
      ]);
      if (!row) throw new Error('refund not inserted');
      const recorded = toRefund(row, currencyCode);
      return {
        outcome: 'recorded',
        order: { ...order, status: after, refunds: [...order.refunds, recorded] },
        refund: recorded,
      };
    });
  }

  private async refundsOf(db: Queryable, order: Order): Promise<OrderRefund[]> {
    const rows = await db.query<RefundRow>(
      `SELECT ${REFUND_COLUMNS} FROM ${this.schema}.order_refunds WHERE order_id = $1 ORDER BY refunded_seq`,
      [order.orderId],
    );
    const currencyCode = order.total?.currencyCode ?? 'USD';
    return rows.map((row) => toRefund(row, currencyCode));
  }
}
