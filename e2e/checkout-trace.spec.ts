import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { hipstershop } from '@glasshouse/contracts';
import type { PromiseClient } from '@glasshouse/kit';
import { ServiceMetrics, createClient } from '@glasshouse/kit';
import type { ReceivedSpan } from '@glasshouse/kit/testing';
import { OtlpReceiver, waitFor } from '@glasshouse/kit/testing';
import type { ProcessShop } from '@glasshouse/testing';
import { startProcessShop } from '@glasshouse/testing';
import { WebShopper, checkoutErrorOf, requestIdOf, testIdTexts } from '@glasshouse/testing';

const SERVER = 2;
const ERROR = 2;
const REDIS_URL = 'redis://127.0.0.1:6379';
const NEXT_YEAR = new Date().getUTCFullYear() + 1;
const GOOD_CARD = { number: '4432-8015-6152-0454', cvv: '672', month: 1, year: NEXT_YEAR };
/** Sixteen digits and a VISA prefix, but the last digit breaks the Luhn check. */
const BAD_LUHN_CARD = { number: '4432801561520455', cvv: '672', month: 1, year: NEXT_YEAR };
const TRACED_SERVICES = [
  'frontend',
  'checkout',
  'cart',
  'productcatalog',
  'currency',
  'shipping',
  'payment',
  'orders',
  'inventory',
  'email',
] as const;
// 'find existing order' runs only for what looks like a retry (an emptied cart, a step to undo).
const CHECKOUT_STEPS = [
  'get cart',
  'price items',
  'quote shipping',
  'reserve stock',
  'charge card',
  'ship order',
  'persist order',
  'empty cart',
  'send confirmation',
];

/** The spans of a trace once the given check holds over them. */
async function traceWhen(
  receiver: OtlpReceiver,
  traceId: string,
  complete: (spans: ReceivedSpan[]) => boolean,
  what: string,
): Promise<ReceivedSpan[]> {
  return waitFor(
    () => {
      const spans = receiver.trace(traceId);
      return complete(spans) && spans;
    },
    { what, timeoutMs: 15_000 },
  );
}

const serverSpan = (spans: ReceivedSpan[], service: string): ReceivedSpan | undefined =>
  spans.find((s) => s.serviceName === service && s.kind === SERVER);

/**
 * A checkout through the whole shop, each service a process exporting to an OTLP receiver
 * that stands in for a collector: one order must be one trace across every service it touched.
 */
describe('checkout across the process shop, traced', () => {
  const receiver = new OtlpReceiver();
  let shop: ProcessShop;

  before(async () => {
    const otlpEndpoint = await receiver.start();
    shop = await startProcessShop({ otlpEndpoint, logLevel: 'info' });
  });

  after(async () => {
    await shop?.stop();
    await receiver.stop();
  });

  describe('a placed order', () => {
    let spans: ReceivedSpan[] = [];
    let orderId = '';

    before(async () => {
      const shopper = new WebShopper(shop.url);
      await shopper.addToCart('66VCHSJNUP', 2);
      await shopper.addToCart('L9ECAV7KIM', 1);
      const placed = await shopper.checkout(GOOD_CARD);
      assert.equal(placed.status, 200, placed.html);
      orderId = testIdTexts(placed.html, 'order-id')[0] ?? '';
      const traceId = requestIdOf(placed.html);
      assert.ok(traceId, 'the confirmation page names its trace');
      spans = await traceWhen(
        receiver,
        traceId,
        (found) => {
          const servers = new Set(found.filter((s) => s.kind === SERVER).map((s) => s.serviceName));
          const steps = new Set(found.filter((s) => s.serviceName === 'checkout').map((s) => s.name));
          return (
            TRACED_SERVICES.every((name) => servers.has(name)) && CHECKOUT_STEPS.every((n) => steps.has(n))
          );
        },
        'server spans of every service and every checkout step in the order trace',
      );
    });

    it('gives the customer an order id', () => {
      assert.match(orderId, /^[0-9a-f-]{36}$/);
    });

    it('is one trace rooted at the frontend, every span hanging from a parent inside it', () => {
      const root = serverSpan(spans, 'frontend');
      assert.ok(root);
      assert.equal(root.name, 'POST /cart/checkout');
      assert.equal(root.parentSpanId, undefined);
      const ids = new Set(spans.map((s) => s.spanId));
      const orphans = spans.filter((s) => s !== root && !ids.has(s.parentSpanId ?? ''));
      assert.deepEqual(
        orphans.map((s) => `${s.serviceName}: ${s.name}`),
        [],
        'spans whose parent is not in the trace',
      );
      for (const service of TRACED_SERVICES)
        assert.ok(serverSpan(spans, service), `a ${service} server span`);
    });

    it("hangs checkout's business steps directly under its PlaceOrder server span", () => {
      const placeOrder = spans.find(
        (s) =>
          s.serviceName === 'checkout' && s.kind === SERVER && s.attributes['rpc.method'] === 'PlaceOrder',
      );
      assert.ok(placeOrder, "checkout's PlaceOrder server span");
      for (const name of CHECKOUT_STEPS) {
        const step = spans.find((s) => s.serviceName === 'checkout' && s.name === name);
        assert.ok(step, `a '${name}' span`);
        assert.equal(step.parentSpanId, placeOrder.spanId, `'${name}' is a child of PlaceOrder`);
        assert.notEqual(step.status?.code, ERROR, `'${name}' succeeded`);
      }
    });

    it("reaches payment from inside 'charge card' and the order service from inside 'persist order'", () => {
      for (const [step, service] of [
        ['charge card', 'payment'],
        ['persist order', 'orders'],
        ['reserve stock', 'inventory'],
      ] as const) {
        const stepSpan = spans.find((s) => s.serviceName === 'checkout' && s.name === step);
        const server = spans.find(
          (s) =>
            s.serviceName === service &&
            s.kind === SERVER &&
            spans.some((c) => c.spanId === s.parentSpanId && c.parentSpanId === stepSpan?.spanId),
        );
        assert.ok(server, `a ${service} server span under a client span of '${step}'`);
      }
    });
  });

  describe('a declined payment', () => {
    let spans: ReceivedSpan[] = [];
    let answer = { status: 0, html: '' };

    before(async () => {
      const shopper = new WebShopper(shop.url);
      await shopper.addToCart('OLJCESPC7Z', 1);
      answer = await shopper.checkout(BAD_LUHN_CARD);
      const traceId = requestIdOf(answer.html);
      assert.ok(traceId, 'the refusal page names its trace');
      spans = await traceWhen(
        receiver,
        traceId,
        (found) =>
          ['frontend', 'checkout', 'payment'].every((name) => serverSpan(found, name)) &&
          found.some((s) => s.serviceName === 'checkout' && s.name === 'release stock') &&
          found.some((s) => s.serviceName === 'inventory' && s.attributes['rpc.method'] === 'ReleaseStock'),
        'the declined checkout trace with its release of stock',
      );
    });

    it('answers 400 and tells the customer why', () => {
      assert.equal(answer.status, 400);
      assert.match(checkoutErrorOf(answer.html) ?? '', /Luhn/);
    });

    it("marks the payment server span and checkout's 'charge card' span as errors", () => {
      const payment = serverSpan(spans, 'payment');
      assert.equal(payment?.status?.code, ERROR, 'payment server span status');
      const charge = spans.find((s) => s.serviceName === 'checkout' && s.name === 'charge card');
      assert.equal(charge?.status?.code, ERROR, "'charge card' status");
      assert.equal(charge?.attributes['error.type'], 'payment_declined');
    });

    it("releases the reserved stock after the refusal, and goes no further than 'charge card'", () => {
      const names = spans.filter((s) => s.serviceName === 'checkout').map((s) => s.name);
      assert.ok(names.includes('reserve stock'));
      assert.ok(names.includes('release stock'));
      for (const later of ['ship order', 'persist order', 'empty cart', 'send confirmation'])
        assert.ok(!names.includes(later), `no '${later}' span`);
      const release = spans.find((s) => s.serviceName === 'checkout' && s.name === 'release stock');
      const releaseCall = spans.find(
        (s) =>
          s.serviceName === 'inventory' && s.kind === SERVER && s.attributes['rpc.method'] === 'ReleaseStock',
      );
      assert.ok(
        spans.some((c) => c.spanId === releaseCall?.parentSpanId && c.parentSpanId === release?.spanId),
        "inventory's ReleaseStock is called from 'release stock'",
      );
      assert.ok(
        !spans.some((s) => s.serviceName === 'orders' && s.attributes['rpc.method'] === 'CreateOrder'),
      );
    });
  });

  describe('the cart on Redis across restarts', () => {
    let cart: PromiseClient<typeof hipstershop.CartServiceService>;
    const shopper = () => new WebShopper(shop.url, sessionId);
    const sessionId = `e2e-redis-${process.pid}-${Date.now()}`;

    before(async () => {
      await shop.restart('cart', { REDIS_URL, CART_TTL_SECONDS: '600' });
      cart = createClient(hipstershop.CartServiceClient, hipstershop.CartServiceService, {
        address: shop.addresses.cart ?? '',
        metrics: new ServiceMetrics({ defaultMetrics: false }),
        deadlineMs: 5_000,
      });
    });

    after(async () => {
      await shopper().post('/cart/empty', {});
      cart?.close();
    });

    it('keeps the items added before a restart', async () => {
      const started = shop.logs('cart').filter((l) => l.message === 'cart store ready');
      assert.equal(started.at(-1)?.['cart.store'], 'redis');
      await shopper().addToCart('2ZYFJ3GM2N', 3);
      await shopper().addToCart('9SIQT8TOJO', 1);
      const beforeRestart = await cart.getCart({ userId: sessionId });

      await shop.restart('cart', { REDIS_URL, CART_TTL_SECONDS: '600' });
      const afterRestart = await cart.getCart({ userId: sessionId });
      const byId = (c: hipstershop.Cart) =>
        Object.fromEntries(c.items.map((i) => [i.productId, i.quantity] as const));
      assert.deepEqual(byId(beforeRestart), { '2ZYFJ3GM2N': 3, '9SIQT8TOJO': 1 });
      assert.deepEqual(byId(afterRestart), byId(beforeRestart));
      const page = await shopper().get('/cart');
      assert.deepEqual(testIdTexts(page.html, 'cart-size'), ['4']);
    });
  });
});
