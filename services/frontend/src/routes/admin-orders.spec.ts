import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { auth } from '@glasshouse/contracts';
import {
  ServiceMetrics,
  allOffDocument,
  createLogger,
  envReader,
  renderFlagsDocument,
} from '@glasshouse/kit';
import type { InProcessShop } from '@glasshouse/testing';
import {
  backendsFor,
  counterValue,
  fillCart,
  newShopper,
  orderRequest,
  startInProcessShop,
  testClock,
} from '@glasshouse/testing';
import type { Backends } from '../backends.js';
import { createFrontend, readFrontendConfig } from '../index.js';
import { Visitor } from '../spec-support.js';

const SHEARS = '2ZYFJ3GM2N';
const BOOTS = 'LS4PSXUNUM';

/**
 * The order admin as the app serves it: behind the accounts' staff gate (admins only), audited in
 * auth's log, with refunds going through the real shop.
 */
describe('the order admin: page and API', () => {
  const dir = mkdtempSync(join(tmpdir(), 'glasshouse-admin-orders-'));
  const flagsFile = join(dir, 'flags.json');
  let shop: InProcessShop;
  let backends: Backends;
  let app: FastifyInstance;
  let bootstrap = '';
  let admin: Visitor;
  let adminId = '';

  const audits = async (action: string, target: string) =>
    (await backends.auth.listAudit({ actorToken: bootstrap, limit: 100, action })).records.filter(
      (record) => record.target === target,
    );
  const refundedCount = () =>
    counterValue(shop.metricsOf('payment'), 'payments_total', { status: 'refunded' });
  const placeOrder = async (userId = newShopper()): Promise<string> => {
    await fillCart(shop.clients, userId, [
      [SHEARS, 2],
      [BOOTS, 1],
    ]);
    const { order } = await shop.clients.checkout.placeOrder(orderRequest(userId), { deadlineMs: 20_000 });
    return order?.orderId ?? '';
  };

  before(async () => {
    writeFileSync(flagsFile, renderFlagsDocument(allOffDocument()));
    shop = await startInProcessShop({ now: testClock, logLevel: 'warn' });
    bootstrap = shop.bootstrapToken;
    backends = backendsFor(shop);
    const metrics = new ServiceMetrics({ defaultMetrics: false });
    app = createFrontend(
      readFrontendConfig(
        envReader({
          FLAGS_FILE: flagsFile,
          FLAGS_AUDIT_FILE: join(dir, 'audit.jsonl'),
          GLASSHOUSE_ADMIN_TOKEN: bootstrap,
        }),
      ),
      {
        logger: createLogger({ serviceName: 'frontend', level: 'silent' }),
        metrics,
        addReadinessCheck: () => undefined,
        onShutdown: () => undefined,
        client: shop.dial(metrics),
        backends,
      },
    );
    await app.ready();
    const email = `refunder-${Math.random().toString(36).slice(2, 8)}@example.com`;
    admin = new Visitor(app);
    await admin.get('/signup');
    const signedUp = await admin.post('/signup', { name: 'Ada', email, password: 'a long enough password' });
    assert.equal(signedUp.statusCode, 303);
    const { customer } = await backends.auth.setRole({
      actorToken: bootstrap,
      email,
      role: auth.Role.ROLE_ADMIN,
      clientAddress: '',
    });
    adminId = customer?.customerId ?? '';
  });
  after(async () => {
    await app?.close();
    await shop?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets an admin read an order and refund an item by the form, each audited once', async () => {
    const orderId = await placeOrder();
    const target = `order:${orderId}`;
    const refundedBefore = await refundedCount();

    const page = await admin.get(`/admin/orders?order_id=${orderId}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /data-testid="status">placed</);
    const reads = await audits('orders.read', target);
    assert.equal(reads.length, 1);
    assert.equal(reads[0]?.actor, `customer:${adminId}`);
    const refundId = /name="refund_id" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const url = `/admin/orders/${orderId}/refunds`;
    const fields = { refund_id: refundId, [`quantity_${SHEARS}`]: '1', reason: 'scratched' };

    const forged = await admin.post(url, fields, { withToken: false });
    assert.equal(forged.statusCode, 403, 'a form without its CSRF token was taken');
    const done = await admin.post(url, fields);
    assert.equal(done.statusCode, 303);
    await admin.get(`/admin/orders?order_id=${orderId}`);
    const twice = await admin.post(url, fields);
    assert.equal(twice.statusCode, 303);
    assert.equal(await refundedCount(), refundedBefore + 1, 'the form sent twice refunded twice');

    const refunds = await audits('order.refund', target);
    assert.equal(refunds.length, 1, 'a refund was audited other than once');
    assert.equal(refunds[0]?.actor, `customer:${adminId}`);
    assert.deepEqual(JSON.parse(refunds[0]?.beforeJson ?? '{}'), { status: 'placed' });
    const afterRefund = JSON.parse(refunds[0]?.afterJson ?? '{}') as {
      status: string;
      refund: { actor: string };
    };
    assert.equal(afterRefund.status, 'partially refunded');
    assert.equal(afterRefund.refund.actor, `customer:${adminId}`);

    // A script with the bootstrap token refunds the rest; audited as bootstrap.
    const api = await app.inject({
      method: 'POST',
      url: `/api/admin/orders/${orderId}/refunds`,
      headers: { authorization: `Bearer ${bootstrap}` },
      payload: { reason: 'returned the rest' },
    });
    assert.equal(api.statusCode, 200);
    assert.equal(api.json<{ order: { status: string } }>().order.status, 'refunded');
    const all = await audits('order.refund', target);
    assert.deepEqual(all.map((record) => record.actor).sort(), ['bootstrap', `customer:${adminId}`]);
    assert.equal(await refundedCount(), refundedBefore + 2);
  });

  it('keeps customers out', async () => {
    const customer = new Visitor(app);
    await customer.get('/signup');
    const email = `shopper-${Math.random().toString(36).slice(2, 8)}@example.com`;
    await customer.post('/signup', { name: 'Carol', email, password: 'a long enough password' });
    assert.equal((await customer.get('/admin/orders')).statusCode, 403);
    assert.equal((await app.inject({ url: '/admin/orders' })).statusCode, 401);
  });
  it('answers 403 with an unknown Bearer token, and the API takes no browser session', async () => {
    const wrong = await app.inject({
      url: '/api/admin/orders/some-order',
      headers: { authorization: `Bearer ${'f'.repeat(64)}` },
    });
    assert.equal(wrong.statusCode, 403);
    const viaSession = await admin.post('/api/admin/orders/some-order/refunds', { reason: 'x' });
    assert.equal(viaSession.statusCode, 403, 'the API took a browser session');
  });

  it('shows the refunds on the page and in the shopper’s history, and nothing left once all is refunded', async () => {
    const shopper = newShopper();
    const orderId = await placeOrder(shopper);
    const history = async () => (await admin.get(`/orders?customer=${shopper}`)).body;
    assert.match(await history(), /data-testid="order-status">placed</);
    const page = await admin.get(`/admin/orders?order_id=${orderId}`);
    const refundId = /name="refund_id" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const done = await admin.post(`/admin/orders/${orderId}/refunds`, {
      refund_id: refundId,
      [`quantity_${SHEARS}`]: '1',
      [`quantity_${BOOTS}`]: '0',
      reason: 'scratched',
    });
    assert.equal(done.headers.location, `/admin/orders?order_id=${orderId}&refunded=${refundId}`);
    const shown = await admin.get(String(done.headers.location));
    assert.match(shown.body, /data-testid="status">partially refunded</);
    assert.match(shown.body, new RegExp(`Refund ${refundId} done`));
    assert.match(shown.body, /1 × 2ZYFJ3GM2N/);
    assert.match(shown.body, /placed → partially refunded/);
    assert.match(await history(), /data-testid="order-status">partially refunded</);
    const rest = await admin.post(`/admin/orders/${orderId}/refunds`, {
      refund_id: 'the-rest',
      whole: 'true',
      reason: 'customer returned all',
    });
    assert.equal(rest.statusCode, 303);
    const final = await admin.get(`/admin/orders?order_id=${orderId}`);
    assert.match(final.body, /data-testid="status">refunded</);
    assert.match(final.body, /Nothing is left to refund/);
    assert.match(await history(), /data-testid="order-status">refunded</);
  });

  it('refuses bad form input with a 400 naming the problem', async () => {
    const orderId = await placeOrder();
    await admin.get(`/admin/orders?order_id=${orderId}`);
    const url = `/admin/orders/${orderId}/refunds`;
    const token = `_csrf=${encodeURIComponent(admin.csrfToken)}`;
    for (const [payload, problem] of [
      [`${token}&reason=x&quantity_${SHEARS}=abc`, /whole number from 0 to 999/],
      [`${token}&quantity_${SHEARS}=1`, /give a reason/],
      [`${token}&reason=x`, /at least one item/],
      [`${token}&reason=x&quantity_${SHEARS}=1&quantity_${SHEARS}=2`, /more than once/],
      [`${token}&reason=x&whole=true&refund_id=bad%20id`, /refund id must be/],
    ] as const) {
      const refused = await app.inject({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        cookies: Object.fromEntries(admin.cookies),
        payload,
      });
      assert.equal(refused.statusCode, 400, payload);
      assert.match(refused.body, problem);
    }
    assert.equal((await admin.get('/admin/orders?order_id=%3Cscript%3E')).statusCode, 400);
    assert.equal((await admin.get('/admin/orders?order_id=no-such-order')).statusCode, 404);
  });

  it('refunds through the JSON API: more than is left is a 409, a repeat the same answer', async () => {
    const orderId = await placeOrder();
    const refundedBefore = await refundedCount();
    const api = (payload: unknown) =>
      app.inject({
        method: 'POST',
        url: `/api/admin/orders/${orderId}/refunds`,
        headers: { authorization: `Bearer ${bootstrap}` },
        payload: payload as Record<string, unknown>,
      });
    const tooMany = await api({ items: [{ product_id: SHEARS, quantity: 3 }], reason: 'oops' });
    assert.equal(tooMany.statusCode, 409);
    assert.match(tooMany.json<{ error: string }>().error, /only 2 of product 2ZYFJ3GM2N are left to refund/);

    const whole = await api({ reason: 'order lost in the post' });
    assert.equal(whole.statusCode, 200);
    const body = whole.json<{ refunded: boolean; order: { status: string }; refund: unknown }>();
    assert.equal(body.refunded, true);
    assert.equal(body.order.status, 'refunded');
    const again = await api({ reason: 'order lost in the post' });
    assert.equal(again.statusCode, 200);
    assert.equal(again.json<{ refunded: boolean }>().refunded, false);
    assert.deepEqual(again.json<{ refund: unknown }>().refund, body.refund);
    assert.equal(await refundedCount(), refundedBefore + 1);

    const read = await app.inject({
      url: `/api/admin/orders/${orderId}`,
      headers: { authorization: `Bearer ${bootstrap}` },
    });
    assert.equal(read.statusCode, 200);
    const { order: shown } = read.json<{ order: { refunds: { actor: string; status_after: string }[] } }>();
    assert.deepEqual(
      shown.refunds.map((r) => [r.actor, r.status_after]),
      [['bootstrap', 'refunded']],
    );
    for (const payload of [
      { items: 'all', reason: 'x' },
      { reason: 7 },
      { items: [{ product_id: SHEARS, quantity: 0 }], reason: 'x' },
    ])
      assert.equal((await api(payload)).statusCode, 400, JSON.stringify(payload));
  });
});
