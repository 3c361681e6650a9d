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

/** The order admin as the app serves it: behind the accounts' staff gate, audited in auth's log. */
describe('the order admin behind the staff gate', () => {
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
    const userId = newShopper();
    await fillCart(shop.clients, userId, [
      [SHEARS, 2],
      [BOOTS, 1],
    ]);
    const { order } = await shop.clients.checkout.placeOrder(orderRequest(userId), { deadlineMs: 20_000 });
    const orderId = order?.orderId ?? '';
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
});
