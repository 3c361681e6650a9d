import type { FastifyInstance } from 'fastify';
import { recordAdminAction } from '../audit.js';
import { badRequest, fromServiceFailure } from '../errors.js';
import type { Shop } from '../shop.js';
import { requireStaff } from '../staff.js';
import { statusText } from '../views/order-pages.js';
import { ordersPage } from '../views/pages.js';
import { orderView } from './cart.js';

const USER_ID = /^[A-Za-z0-9-]{8,64}$/;

/**
 * The shopper's order history: the account's orders once signed in, else the session's.
 * `?customer=<id>` shows another customer's, to an admin only, and is audited.
 */
export function registerOrders(app: FastifyInstance, shop: Shop): void {
  app.get<{ Querystring: { customer?: string } }>('/orders', async (request, reply) => {
    const other = request.query.customer;
    let userId: string;
    if (other !== undefined) {
      if (!USER_ID.test(other))
        throw badRequest('customer must be a customer id (8 to 64 letters, digits or dashes).');
      const staff = await requireStaff(request, 'admin');
      await recordAdminAction(request, staff, { action: 'orders.read', target: `customer:${other}` });
      userId = other;
    } else userId = await shop.shopperId(request, reply);
    const chrome = await shop.chrome(request, reply);
    const { orders } = await shop.backends.orders
      .listOrders({ userId, limit: 20 })
      .catch((error: unknown) => {
        throw fromServiceFailure(error, 'order service');
      });
    const views = await Promise.all(
      orders.map(async (o) => ({
        ...(await orderView(shop, o, chrome.currentCurrency, o.createdAt)),
        status: statusText(o.status),
      })),
    );
    return shop.send(reply.header('cache-control', 'no-store'), 'orders', ordersPage(chrome, views));
  });
}
