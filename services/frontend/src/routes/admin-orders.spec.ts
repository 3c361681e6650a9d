import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import type { FastifyInstance } from 'fastify';
import Fastify from 'fastify';
import type { orders } from '@glasshouse/contracts';
import { ServiceMetrics } from '@glasshouse/kit';
import type { InProcessShop } from '@glasshouse/testing';
import {
  counterValue,
  fillCart,
  newShopper,
  orderRequest,
  startInProcessShop,
  testClock,
} from '@glasshouse/testing';
import { adminOrderClients, registerAdminOrders } from './admin-orders.js';
import { adminTokenAccess } from './admin-orders-access.js';

const TOKEN = 'test-admin-token';
const derived = (purpose: string) =>
  createHmac('sha256', TOKEN).update(`glasshouse-admin:${purpose}`).digest('hex');
const SESSION = { cookie: `gh_admin=${derived('session')}` };
const FORM = { ...SESSION, 'content-type': 'application/x-www-form-urlencoded' };
const BEARER = { authorization: `Bearer ${TOKEN}` };
const CSRF = derived('csrf');
const SHEARS = '2ZYFJ3GM2N';
const BOOTS = 'LS4PSXUNUM';

describe('the order admin: page and API', () => {
  let shop: InProcessShop;
  let app: FastifyInstance;

  before(async () => {
    shop = await startInProcessShop({ now: testClock });
    app = Fastify();
    await app.register(cookie);
    await app.register(formbody);
    registerAdminOrders(app, {
      ...adminOrderClients(shop.dial(new ServiceMetrics({ defaultMetrics: false }))),
      access: adminTokenAccess(TOKEN),
    });
    await app.ready();
  });
  after(async () => {
    await app.close();
    await shop.stop();
  });

  const placeOrder = async (): Promise<orders.Order> => {
    const userId = newShopper();
    await fillCart(shop.clients, userId, [
      [SHEARS, 2],
      [BOOTS, 1],
    ]);
    const { order } = await shop.clients.checkout.placeOrder(orderRequest(userId), { deadlineMs: 20_000 });
    const { order: stored } = await shop.clients.orders.lookUpOrder({ orderId: order?.orderId ?? '' });
    if (!stored) throw new Error('no order');
    return stored;
  };
  const refundedCount = () =>
    counterValue(shop.metricsOf('payment'), 'payments_total', { status: 'refunded' });

  it('answers 401 without credentials and 403 with a wrong token, on the page and the API', async () => {
    const page = await app.inject({ url: '/admin/orders' });
    assert.equal(page.statusCode, 401);
    assert.match(page.body, /Sign in at \/admin/);
    for (const [method, url] of [
      ['GET', '/api/admin/orders/some-order'],
      ['POST', '/api/admin/orders/some-order/refunds'],
      ['POST', '/admin/orders/some-order/refunds'],
    ] as const) {
      const refused = await app.inject({
        method,
        url,
        payload: method === 'POST' ? { reason: 'x' } : undefined,
      });
      assert.equal(refused.statusCode, 401, `${method} ${url}`);
    }
    const wrong = await app.inject({
      url: '/api/admin/orders/some-order',
      headers: { authorization: 'Bearer nope' },
    });
    assert.equal(wrong.statusCode, 403);
    assert.deepEqual(wrong.json(), { error: 'That is not the admin token.' });
  });

  it('shows an order, refunds a chosen item from the form (CSRF-checked) once, then the rest', async () => {
    const order = await placeOrder();
    const refundedBefore = await refundedCount();
    const shown = await app.inject({ url: `/admin/orders?order_id=${order.orderId}`, headers: SESSION });
    assert.equal(shown.statusCode, 200);
    assert.match(shown.body, /data-testid="status">placed</);
    assert.match(shown.body, new RegExp(`name="quantity_${SHEARS}"`));
    const refundId = /name="refund_id" value="([^"]+)"/.exec(shown.body)?.[1] ?? '';
    assert.ok(refundId, 'the form carries no refund id');
    assert.ok(shown.body.includes(`name="csrf" value="${CSRF}"`));

    const form = (fields: Record<string, string>) =>
      app.inject({
        method: 'POST',
        url: `/admin/orders/${order.orderId}/refunds`,
        headers: FORM,
        payload: new URLSearchParams(fields).toString(),
      });
    const fields = {
      refund_id: refundId,
      [`quantity_${SHEARS}`]: '1',
      [`quantity_${BOOTS}`]: '0',
      reason: 'scratched',
    };
    const forged = await form(fields);
    assert.equal(forged.statusCode, 403, 'a form without the CSRF token was taken');
    assert.equal(await refundedCount(), refundedBefore);

    const done = await form({ ...fields, csrf: CSRF });
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, `/admin/orders?order_id=${order.orderId}&refunded=${refundId}`);
    const twice = await form({ ...fields, csrf: CSRF });
    assert.equal(twice.statusCode, 303, 'the form sent twice was refused');
    assert.equal(await refundedCount(), refundedBefore + 1, 'the form sent twice refunded twice');

    const after = await app.inject({ url: done.headers.location, headers: SESSION });
    assert.match(after.body, /data-testid="status">partially refunded</);
    assert.match(after.body, new RegExp(`Refund ${refundId} done`));
    assert.match(after.body, /1 × 2ZYFJ3GM2N/);
    assert.match(after.body, /placed → partially refunded/);

    const rest = await form({
      refund_id: 'the-rest',
      whole: 'true',
      reason: 'customer returned all',
      csrf: CSRF,
    });
    assert.equal(rest.statusCode, 303);
    const final = await app.inject({ url: `/admin/orders?order_id=${order.orderId}`, headers: SESSION });
    assert.match(final.body, /data-testid="status">refunded</);
    assert.match(final.body, /Nothing is left to refund/);
    assert.equal(await refundedCount(), refundedBefore + 2);
  });

  it('refuses bad form input with a 400 naming the problem', async () => {
    const order = await placeOrder();
    const url = `/admin/orders/${order.orderId}/refunds`;
    for (const [payload, problem] of [
      [`csrf=${CSRF}&reason=x&quantity_${SHEARS}=abc`, /whole number from 0 to 999/],
      [`csrf=${CSRF}&quantity_${SHEARS}=1`, /give a reason/],
      [`csrf=${CSRF}&reason=x`, /at least one item/],
      [`csrf=${CSRF}&reason=x&quantity_${SHEARS}=1&quantity_${SHEARS}=2`, /more than once/],
      [`csrf=${CSRF}&reason=x&whole=true&refund_id=bad%20id`, /refund id must be/],
    ] as const) {
      const refused = await app.inject({ method: 'POST', url, headers: FORM, payload });
      assert.equal(refused.statusCode, 400, payload);
      assert.match(refused.body, problem);
    }
    const badId = await app.inject({ url: '/admin/orders?order_id=%3Cscript%3E', headers: SESSION });
    assert.equal(badId.statusCode, 400);
    const unknown = await app.inject({ url: '/admin/orders?order_id=no-such-order', headers: SESSION });
    assert.equal(unknown.statusCode, 404);
  });

  it('refunds through the JSON API: more than is left is a 409, a repeat the same answer', async () => {
    const order = await placeOrder();
    const refundedBefore = await refundedCount();
    const api = (payload: unknown) =>
      app.inject({
        method: 'POST',
        url: `/api/admin/orders/${order.orderId}/refunds`,
        headers: BEARER,
        payload: payload as Record<string, unknown>,
      });
    const tooMany = await api({ items: [{ product_id: SHEARS, quantity: 3 }], reason: 'oops' });
    assert.equal(tooMany.statusCode, 409);
    assert.match(tooMany.json<{ error: string }>().error, /only 2 of product 2ZYFJ3GM2N are left to refund/);

    const whole = await api({ reason: 'order lost in the post' });
    assert.equal(whole.statusCode, 200);
    const body = whole.json<{
      refunded: boolean;
      order: { status: string; total: unknown };
      refund: { amount: string };
    }>();
    assert.equal(body.refunded, true);
    assert.equal(body.order.status, 'refunded');
    const again = await api({ reason: 'order lost in the post' });
    assert.equal(again.statusCode, 200);
    assert.equal(again.json<{ refunded: boolean }>().refunded, false);
    assert.deepEqual(again.json<{ refund: unknown }>().refund, body.refund);
    assert.equal(await refundedCount(), refundedBefore + 1);

    const read = await app.inject({ url: `/api/admin/orders/${order.orderId}`, headers: BEARER });
    assert.equal(read.statusCode, 200);
    const { order: shown } = read.json<{ order: { refunds: { actor: string; status_after: string }[] } }>();
    assert.deepEqual(
      shown.refunds.map((r) => [r.actor, r.status_after]),
      [['admin@127.0.0.1', 'refunded']],
    );

    for (const payload of [
      { items: 'all', reason: 'x' },
      { reason: 7 },
      { items: [{ product_id: SHEARS, quantity: 0 }], reason: 'x' },
    ]) {
      assert.equal((await api(payload)).statusCode, 400, JSON.stringify(payload));
    }
    const viaCookie = await app.inject({
      method: 'POST',
      url: `/api/admin/orders/${order.orderId}/refunds`,
      headers: SESSION,
      payload: { reason: 'x' },
    });
    assert.equal(viaCookie.statusCode, 403, 'the API took a browser session without a CSRF token');
  });
});
