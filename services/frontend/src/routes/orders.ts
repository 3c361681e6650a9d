import type { FastifyInstance } from 'fastify';
import { fromServiceFailure } from '../errors.js';
import type { Shop } from '../shop.js';
import { sessionId } from '../session.js';
import { ordersPage } from '../views/pages.js';
import { orderView } from './cart.js';

/** The session's order history. */
export function registerOrders(app: FastifyInstance, shop: Shop): void {
  app.get('/orders', async (request, reply) => {
    const chrome = await shop.chrome(request, reply);
    const { orders } = await shop.backends.orders
      .listOrders({ userId: sessionId(request, reply), limit: 20 })
      .catch((error: unknown) => {
        throw fromServiceFailure(error, 'order service');
      });
    const views = await Promise.all(
      orders.map((o) => orderView(shop, o, chrome.currentCurrency, o.createdAt)),
    );
    return shop.send(reply, 'orders', ordersPage(chrome, views));
  });
}
