import { createHash, randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { checkout, orders } from '@glasshouse/contracts';
import type { ServiceClientFactory, ShopClientsOf } from '@glasshouse/kit';
import { isServiceError, shopClientsOf } from '@glasshouse/kit';
import type { Money } from '@glasshouse/money';
import { toDecimalString } from '@glasshouse/money';
import { PageError, badRequest, refusalPage } from '../errors.js';
import { readForm } from '../forms.js';
import { orderAdminPage, orderAdminProblemPage } from '../views/admin-order-pages.js';
import { statusText } from '../views/order-pages.js';
import type { OrderAdmin, OrderAdminAccess } from './admin-orders-access.js';

/**
 * The order admin: look an order up by id, see its items and refunds, refund chosen items or
 * everything left with a reason (a page with CSRF-checked forms), and the same as a JSON API for
 * scripts. Refunds go to checkout's RefundService, which refunds the charge, records the refund
 * on the order (the audit record: who, from where, when, status before and after) and puts the
 * goods back in stock, idempotent on the refund id.
 */

export type AdminOrderClients = ShopClientsOf<'orders' | 'refunds'>;

export interface AdminOrdersOptions extends AdminOrderClients {
  readonly access: OrderAdminAccess;
}

/** The clients the order admin calls: order reads may be retried, refunds are retried by their id. */
export function adminOrderClients(client: ServiceClientFactory): AdminOrderClients {
  return shopClientsOf(client, { orders: { idempotent: true }, refunds: {} });
}

type RefundLine = checkout.RefundOrderRequest['items'][number];

const ORDER_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const REFUND_ID = /^[A-Za-z0-9._:-]{1,64}$/;
const MAX_QUANTITY = 999;
const MAX_REASON = 200;
const QUANTITY_FIELD = /^quantity_(.+)$/;

function orderIdOf(text: unknown): string {
  if (typeof text !== 'string' || !ORDER_ID.test(text))
    throw badRequest('The order id must be 1 to 128 letters, digits, or . _ : -');
  return text;
}

function reasonOf(value: unknown): string {
  if (typeof value !== 'string' || !value.trim()) throw badRequest('Please give a reason for the refund.');
  if (value.length > MAX_REASON) throw badRequest(`The reason may be at most ${MAX_REASON} characters.`);
  if (value.includes('\u0000')) throw badRequest('The reason must not contain a NUL character.');
  return value.trim();
}

function refundIdOf(value: unknown, derive: () => string): string {
  if (value === undefined || value === '') return derive();
  if (typeof value !== 'string' || !REFUND_ID.test(value))
    throw badRequest('The refund id must be 1 to 64 letters, digits, or . _ : -');
  return value;
}

function quantityOf(value: unknown, productId: string): number {
  const quantity = typeof value === 'string' && /^\d{1,4}$/.test(value.trim()) ? Number(value) : value;
  if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 0 || quantity > MAX_QUANTITY)
    throw badRequest(
      `The quantity of ${productId.slice(0, 40)} must be a whole number from 0 to ${MAX_QUANTITY}.`,
    );
  return quantity;
}

/** A refund id for a script that gave none: the same items of the same order name the same refund. */
function derivedRefundId(orderId: string, items: readonly RefundLine[]): string {
  const what =
    items.length === 0
      ? 'all'
      : [...items]
          .map((i) => `${i.productId}:${i.quantity}`)
          .sort()
          .join(',');
  return `api-${createHash('sha256').update(`${orderId}\n${what}`).digest('hex').slice(0, 32)}`;
}

/** The page's form: chosen quantities, or everything left. */
function formRefund(
  body: unknown,
  csrfField: string,
): { refundId: string; items: RefundLine[]; reason: string; csrf?: string } {
  const form = readForm(body);
  const whole = form['whole'] === 'true';
  const items: RefundLine[] = [];
  for (const [name, value] of Object.entries(form)) {
    const productId = QUANTITY_FIELD.exec(name)?.[1];
    if (productId === undefined) continue;
    const quantity = quantityOf(value, productId);
    if (quantity > 0) items.push({ productId, quantity });
  }
  if (!whole && items.length === 0) throw badRequest('Choose at least one item to refund.');
  return {
    refundId: refundIdOf(form['refund_id'], randomUUID),
    items: whole ? [] : items,
    reason: reasonOf(form['reason']),
    ...(form[csrfField] !== undefined ? { csrf: form[csrfField] } : {}),
  };
}

/** The API's JSON body: { refund_id?, items?: [{ product_id, quantity }], reason }. */
function apiRefund(
  orderId: string,
  body: unknown,
): { refundId: string; items: RefundLine[]; reason: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw badRequest(
      'The body must be a JSON object: { refund_id?, items?: [{ product_id, quantity }], reason }.',
    );
  const fields = body as Record<string, unknown>;
  const given = fields['items'] ?? [];
  if (!Array.isArray(given) || given.length > 200)
    throw badRequest('items must be a list of at most 200 lines.');
  const items = given.map((line: unknown, index): RefundLine => {
    const { product_id: productId, quantity } = (line ?? {}) as Record<string, unknown>;
    if (typeof productId !== 'string' || !productId)
      throw badRequest(`items[${index}].product_id must be text.`);
    const units = quantityOf(quantity, productId);
    if (units === 0) throw badRequest(`items[${index}].quantity must be at least 1.`);
    return { productId, quantity: units };
  });
  return {
    refundId: refundIdOf(fields['refund_id'], () => derivedRefundId(orderId, items)),
    items,
    reason: reasonOf(fields['reason']),
  };
}

/** A failed call to orders or checkout as the answer the admin gets. */
function refusalOf(error: unknown): PageError {
  if (error instanceof PageError) return error;
  if (!isServiceError(error)) throw error;
  return (
    refusalPage(error, { [status.FAILED_PRECONDITION]: [409, 'Not refunded'] }) ??
    // The refund's steps are idempotent: the message says whether to retry with the same id.
    new PageError(503, 'Temporarily unavailable', error.details, status[error.code])
  );
}

const amountJson = (amount: Money | undefined) =>
  amount ? { amount: toDecimalString(amount), currency: amount.currencyCode } : undefined;

function refundJson(refund: orders.OrderRefund) {
  return {
    refund_id: refund.refundId,
    items: refund.items.map((item) => ({ product_id: item.productId, quantity: item.quantity })),
    ...amountJson(refund.amount),
    reason: refund.reason,
    actor: refund.actor,
    client_address: refund.clientAddress,
    status_before: statusText(refund.statusBefore),
    status_after: statusText(refund.statusAfter),
    refunded_at: refund.refundedAt?.toISOString(),
  };
}

function orderJson(order: orders.Order) {
  return {
    order_id: order.orderId,
    user_id: order.userId,
    email: order.emailMasked,
    status: statusText(order.status),
    total: amountJson(order.total),
    shipping_cost: amountJson(order.shippingCost),
    transaction_id: order.transactionId,
    created_at: order.createdAt?.toISOString(),
    items: order.items.map((line) => ({
      product_id: line.item?.productId ?? '',
      quantity: line.item?.quantity ?? 0,
      price: amountJson(line.cost),
    })),
    refunds: order.refunds.map(refundJson),
  };
}

export function registerAdminOrders(app: FastifyInstance, options: AdminOrdersOptions): void {
  const { access } = options;
  const lookUp = async (orderId: string): Promise<orders.Order> => {
    const { order } = await options.orders.lookUpOrder({ orderId }).catch((error: unknown) => {
      throw refusalOf(error);
    });
    if (!order)
      throw new PageError(503, 'Temporarily unavailable', 'The order service answered without the order.');
    return order;
  };
  const refund = async (
    admin: OrderAdmin,
    request: FastifyRequest,
    orderId: string,
    asked: { refundId: string; items: RefundLine[]; reason: string },
  ): Promise<checkout.RefundOrderResponse> => {
    const result = await options.refunds
      .refundOrder({ orderId, ...asked, actor: admin.actor, clientAddress: request.ip })
      .catch((error: unknown) => {
        throw refusalOf(error);
      });
    // A repeat gave nothing back: only the refund that did is an action to audit.
    if (result.refunded && result.refund)
      await access.audit(request, admin, {
        action: 'order.refund',
        target: `order:${orderId}`,
        before: { status: statusText(result.refund.statusBefore) },
        after: { status: statusText(result.refund.statusAfter), refund: refundJson(result.refund) },
      });
    return result;
  };
  /** Another customer's order is an admin read: audited, as the shopper's order list is. */
  const readOrder = async (admin: OrderAdmin, request: FastifyRequest, orderId: string) => {
    const order = await lookUp(orderId);
    await access.audit(request, admin, { action: 'orders.read', target: `order:${orderId}` });
    return order;
  };

  const page = (reply: FastifyReply, code: number, body: string) =>
    reply.code(code).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);
  const problemPage = (reply: FastifyReply, error: unknown, orderId?: string) => {
    const refused = refusalOf(error);
    return page(reply, refused.statusCode, orderAdminProblemPage(refused.title, refused.message, orderId));
  };
  const problemJson = (reply: FastifyReply, error: unknown) => {
    const refused = refusalOf(error);
    return reply
      .code(refused.statusCode)
      .header('cache-control', 'no-store')
      .send({ error: refused.message });
  };

  app.get<{ Querystring: Record<string, unknown> }>('/admin/orders', async (request, reply) => {
    try {
      const admin = await access.adminOf(request);
      const view = {
        csrf: { field: access.csrfField, token: access.csrfToken(request, reply) },
        refundId: randomUUID(),
      };
      const asked = request.query['order_id'];
      const refunded = request.query['refunded'];
      const notice = typeof refunded === 'string' ? `Refund ${refunded.slice(0, 64)} done.` : undefined;
      if (asked === undefined || asked === '') return page(reply, 200, orderAdminPage(undefined, view));
      const order = await readOrder(admin, request, orderIdOf(asked));
      return page(reply, 200, orderAdminPage(order, { ...view, ...(notice ? { notice } : {}) }));
    } catch (error) {
      return problemPage(reply, error);
    }
  });

  app.post<{ Params: { orderId: string } }>('/admin/orders/:orderId/refunds', async (request, reply) => {
    try {
      const admin = await access.adminOf(request);
      const orderId = orderIdOf(request.params.orderId);
      const asked = formRefund(request.body, access.csrfField);
      // A browser's form must come from our page; a Bearer call is a script's.
      if (admin.via === 'session' && !access.csrfValid(request, asked.csrf))
        throw new PageError(403, 'Refused', 'The form’s CSRF token is missing or wrong.', 'csrf');
      const { refundId, items, reason } = asked;
      await refund(admin, request, orderId, { refundId, items, reason });
      const query = new URLSearchParams({ order_id: orderId, refunded: refundId });
      return reply.redirect(`/admin/orders?${query.toString()}`, 303);
    } catch (error) {
      return problemPage(
        reply,
        error,
        ORDER_ID.test(request.params.orderId) ? request.params.orderId : undefined,
      );
    }
  });

  app.get<{ Params: { orderId: string } }>('/api/admin/orders/:orderId', async (request, reply) => {
    try {
      const admin = await access.adminOf(request);
      const order = await readOrder(admin, request, orderIdOf(request.params.orderId));
      return reply.header('cache-control', 'no-store').send({ order: orderJson(order) });
    } catch (error) {
      return problemJson(reply, error);
    }
  });

  app.post<{ Params: { orderId: string } }>('/api/admin/orders/:orderId/refunds', async (request, reply) => {
    try {
      const admin = await access.adminOf(request);
      if (admin.via !== 'bearer')
        throw new PageError(
          403,
          'Refused',
          'The API takes a Bearer token; browsers use the page.',
          'forbidden',
        );
      const orderId = orderIdOf(request.params.orderId);
      const result = await refund(admin, request, orderId, apiRefund(orderId, request.body));
      return reply.header('cache-control', 'no-store').send({
        refunded: result.refunded,
        refund: result.refund ? refundJson(result.refund) : undefined,
        order: result.order ? orderJson(result.order) : undefined,
      });
    } catch (error) {
      return problemJson(reply, error);
    }
  });
}
