import { orders } from '@glasshouse/contracts';
import type { hipstershop } from '@glasshouse/contracts';
import type { Database, Queryable } from '@glasshouse/kit';

type Order = orders.Order;

interface OrderRow {
  order_id: string;
  user_id: string;
  email_masked: string;
  status: string;
  currency_code: string;
  total_units: bigint;
  total_nanos: number;
  shipping_cost_units: bigint;
  shipping_cost_nanos: number;
  shipping_street_address: string;
  shipping_city: string;
  shipping_state: string;
  shipping_country: string;
  shipping_zip_code: number;
  shipping_tracking_id: string;
  transaction_id: string;
  created_at: Date | string;
}

interface ItemRow {
  order_id: string;
  product_id: string;
  quantity: number;
  cost_units: bigint;
  cost_nanos: number;
}

const ORDER_COLUMNS =
  'order_id, user_id, email_masked, status, currency_code, total_units, total_nanos, ' +
  'shipping_cost_units, shipping_cost_nanos, shipping_street_address, shipping_city, shipping_state, ' +
  'shipping_country, shipping_zip_code, shipping_tracking_id, transaction_id, created_at';

const STATUS_TEXT: ReadonlyMap<orders.OrderStatus, string> = new Map([
  [orders.OrderStatus.ORDER_STATUS_PLACED, 'placed'],
  [orders.OrderStatus.ORDER_STATUS_CANCELLED, 'cancelled'],
  [orders.OrderStatus.ORDER_STATUS_PARTIALLY_REFUNDED, 'partially_refunded'],
  [orders.OrderStatus.ORDER_STATUS_REFUNDED, 'refunded'],
]);
const STATUS_OF_TEXT = new Map([...STATUS_TEXT].map(([status, text]) => [text, status]));

/** The status column's text for a status; an unspecified status is stored as placed. */
export function statusText(status: orders.OrderStatus): string {
  return STATUS_TEXT.get(status) ?? 'placed';
}

/** The status a status column's text stands for. */
export function statusOf(text: string): orders.OrderStatus {
  return STATUS_OF_TEXT.get(text) ?? orders.OrderStatus.ORDER_STATUS_PLACED;
}

function money(currencyCode: string, units: bigint, nanos: number): hipstershop.Money {
  return { currencyCode, units: BigInt(units), nanos: Number(nanos) };
}

function toOrder(row: OrderRow, items: readonly ItemRow[]): Order {
  return {
    orderId: row.order_id,
    userId: row.user_id,
    emailMasked: row.email_masked,
    status: statusOf(row.status),
    total: money(row.currency_code, row.total_units, row.total_nanos),
    shippingCost: money(row.currency_code, row.shipping_cost_units, row.shipping_cost_nanos),
    shippingAddress: {
      streetAddress: row.shipping_street_address,
      city: row.shipping_city,
      state: row.shipping_state,
      country: row.shipping_country,
      zipCode: Number(row.shipping_zip_code),
    },
    shippingTrackingId: row.shipping_tracking_id,
    transactionId: row.transaction_id,
    items: items.map((item) => ({
      item: { productId: item.product_id, quantity: Number(item.quantity) },
      cost: money(row.currency_code, item.cost_units, item.cost_nanos),
    })),
    createdAt: new Date(row.created_at),
    refunds: [],
  };
}

/** What create() stores: the order row and its lines as they go into (and come out of) the tables. */
function rowsOf(order: Order): { row: Omit<OrderRow, 'created_at'>; items: ItemRow[] } {
  const total = order.total ?? money('USD', 0n, 0);
  const shipping = order.shippingCost ?? money(total.currencyCode, 0n, 0);
  const address = order.shippingAddress;
  return {
    row: {
      order_id: order.orderId,
      user_id: order.userId,
      email_masked: order.emailMasked,
      status: statusText(order.status),
      currency_code: total.currencyCode,
      total_units: total.units,
      total_nanos: total.nanos,
      shipping_cost_units: shipping.units,
      shipping_cost_nanos: shipping.nanos,
      shipping_street_address: address?.streetAddress ?? '',
      shipping_city: address?.city ?? '',
      shipping_state: address?.state ?? '',
      shipping_country: address?.country ?? '',
      shipping_zip_code: address?.zipCode ?? 0,
      shipping_tracking_id: order.shippingTrackingId,
      transaction_id: order.transactionId,
    },
    items: order.items.map(({ item, cost }) => ({
      order_id: order.orderId,
      product_id: item?.productId ?? '',
      quantity: item?.quantity ?? 0,
      cost_units: cost?.units ?? 0n,
      cost_nanos: cost?.nanos ?? 0,
    })),
  };
}

/** Placed orders and their lines, in the order service's own schema. */
export class OrderRepository {
  constructor(
    private readonly db: Database,
    private readonly schema: string,
  ) {}

  /**
   * Stores the order and its items, unless an order with that id exists; either way returns
   * the order as stored. `created` is false when it already existed. Expects an order that
   * passed orderProblem().
   *
   * One statement, so one round trip and atomic on its own: the lines are inserted only when
   * the order row was, and a failing line takes the order row with it. ON CONFLICT waits for a
   * concurrent insert of the same id to commit, so only one wins.
   */
  async create(order: Order): Promise<{ order: Order; created: boolean }> {
    const { row, items } = rowsOf(order);
    const inserted = await this.db.query<{ created_at: Date | string }>(
      `WITH inserted AS (
         INSERT INTO ${this.schema}.orders
           (order_id, user_id, email_masked, status, currency_code, total_units, total_nanos,
            shipping_cost_units, shipping_cost_nanos, shipping_street_address, shipping_city,
            shipping_state, shipping_country, shipping_zip_code, shipping_tracking_id, transaction_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
         ON CONFLICT (order_id) DO NOTHING
         RETURNING order_id, created_at
       ), lines AS (
         INSERT INTO ${this.schema}.order_items
           (order_id, product_id, line, quantity, cost_units, cost_nanos)
         SELECT inserted.order_id, line.product_id, (line.n - 1)::smallint, line.quantity,
                line.cost_units, line.cost_nanos
           FROM inserted,
                unnest($17::text[], $18::integer[], $19::bigint[], $20::integer[]) WITH ORDINALITY
                  AS line (product_id, quantity, cost_units, cost_nanos, n)
       )
       SELECT created_at FROM inserted`,
      [
        row.order_id,
        row.user_id,
        row.email_masked,
        row.status,
        row.currency_code,
        row.total_units.toString(),
        row.total_nanos,
        row.shipping_cost_units.toString(),
        row.shipping_cost_nanos,
        row.shipping_street_address,
        row.shipping_city,
        row.shipping_state,
        row.shipping_country,
        row.shipping_zip_code,
        row.shipping_tracking_id,
        row.transaction_id,
        items.map((item) => item.product_id),
        items.map((item) => item.quantity),
        items.map((item) => item.cost_units.toString()),
        items.map((item) => item.cost_nanos),
      ],
    );
    const [created] = inserted;
    // The row is exactly what was sent, so it needs no reading back.
    if (created) return { order: toOrder({ ...row, created_at: created.created_at }, items), created: true };
    const [stored] = await this.load('order_id = $1', [order.orderId], 1);
    if (!stored) throw new Error('order vanished between insert and read');
    return { order: stored, created: false };
  }

  /** The order with that id if it belongs to that user. */
  async get(orderId: string, userId: string): Promise<Order | undefined> {
    const [order] = await this.load('order_id = $1 AND user_id = $2', [orderId, userId], 1);
    return order;
  }

  /** The order with that id, whoever it belongs to (admins only: the caller checks). */
  async find(orderId: string, db: Queryable = this.db): Promise<Order | undefined> {
    const [order] = await this.load('order_id = $1', [orderId], 1, db);
    return order;
  }

  /** A user's newest orders first, with their items. */
  async listByUser(userId: string, limit: number): Promise<Order[]> {
    return this.load('user_id = $1', [userId], limit);
  }

  /** The newest `limit` orders matching `where`, then their lines: two queries, none when nothing matched. */
  private async load(
    where: string,
    params: readonly unknown[],
    limit: number,
    db: Queryable = this.db,
  ): Promise<Order[]> {
    const rows = await db.query<OrderRow>(
      `SELECT ${ORDER_COLUMNS} FROM ${this.schema}.orders
        WHERE ${where}
        ORDER BY created_at DESC, stored_seq DESC
        LIMIT $${params.length + 1}`,
      [...params, limit],
    );
    if (rows.length === 0) return [];
    const items = await db.query<ItemRow>(
      `SELECT order_id, product_id, quantity, cost_units, cost_nanos
         FROM ${this.schema}.order_items
        WHERE order_id = ANY($1::text[])
        ORDER BY order_id, line`,
      [rows.map((row) => row.order_id)],
    );
    const byOrder = new Map<string, ItemRow[]>();
    for (const item of items) {
      const lines = byOrder.get(item.order_id) ?? [];
      lines.push(item);
      byOrder.set(item.order_id, lines);
    }
    return rows.map((row) => toOrder(row, byOrder.get(row.order_id) ?? []));
  }
}
