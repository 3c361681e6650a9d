import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createFrontend, readFrontendConfig } from '@glasshouse/frontend';
import {
  FixedFeatureFlags,
  ServiceMetrics,
  collectGarbage,
  createLogger,
  envReader,
  isServiceError,
} from '@glasshouse/kit';
import type { InProcessShop } from '@glasshouse/testing';
import {
  ACCEPTED_CARD,
  backendsFor,
  fillCart,
  newShopper,
  orderRequest,
  startInProcessShop,
  testClock,
} from '@glasshouse/testing';

/**
 * Each scenario's hook in the service where it happens, switched through the same FeatureFlags
 * every service reads: on, the failure shows at the service's door; off, the shop works again.
 * (e2e/faults-alerts.spec.ts proves the signatures in Prometheus, logs and traces.)
 */

const PRODUCT = 'OLJCESPC7Z';
const OTHER = '66VCHSJNUP';

async function elapsedMs(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

const grpcCode = async (work: Promise<unknown>): Promise<number | 'ok'> => {
  try {
    await work;
    return 'ok';
  } catch (error) {
    if (isServiceError(error)) return error.code;
    throw error;
  }
};

describe('failure scenarios at their hooks', { timeout: 120_000 }, () => {
  const flags = new FixedFeatureFlags();
  let shop: InProcessShop;

  before(async () => {
    shop = await startInProcessShop({ flags, now: testClock, logLevel: 'info' });
  });
  after(async () => {
    await shop?.stop();
  });

  it('payment-failure refuses charges UNAVAILABLE; payment-unreachable holds them past the caller’s deadline', async () => {
    const charge = (deadlineMs?: number) =>
      shop.clients.payment.charge(
        {
          amount: { currencyCode: 'USD', units: 10n, nanos: 0 },
          creditCard: { ...ACCEPTED_CARD },
        },
        deadlineMs ? { deadlineMs } : {},
      );
    flags.set('payment-failure', { rate: 1 });
    assert.equal(await grpcCode(charge()), 14);
    flags.set('payment-failure', undefined);
    flags.set('payment-unreachable', { 'delay-ms': 1000 });
    assert.equal(await grpcCode(charge(300)), 4);
    flags.set('payment-unreachable', undefined);
    assert.equal(await grpcCode(charge()), 'ok');
  });

  it('currency-errors: Convert fails INTERNAL at rate 1, and works again when off', async () => {
    const convert = () =>
      shop.clients.currency.convert({ from: { currencyCode: 'EUR', units: 10n, nanos: 0 }, toCode: 'USD' });
    flags.set('currency-errors', { rate: 1 });
    assert.equal(await grpcCode(convert()), 13);
    flags.set('currency-errors', undefined);
    assert.equal(await grpcCode(convert()), 'ok');
  });

  it('catalog-slow and email-backlog hold their calls for delay-ms', async () => {
    flags.set('catalog-slow', { 'delay-ms': 300 });
    assert.ok((await elapsedMs(() => shop.clients.catalog.getProduct({ id: PRODUCT }))) >= 290);
    flags.set('catalog-slow', undefined);
    assert.ok((await elapsedMs(() => shop.clients.catalog.getProduct({ id: PRODUCT }))) < 290);
  });

  it('cart-store-outage: every cart call is UNAVAILABLE, with the store failure logged', async () => {
    flags.set('cart-store-outage', { rate: 1 });
    assert.equal(await grpcCode(shop.clients.cart.getCart({ userId: newShopper() })), 14);
    assert.ok(shop.logs.some((l) => l.includes('"cart storage failed"')));
    flags.set('cart-store-outage', undefined);
    assert.equal(await grpcCode(shop.clients.cart.getCart({ userId: newShopper() })), 'ok');
  });

  it('ad-cpu-burn blocks the event loop for block-ms every half second, calls or not', async () => {
    const longestGap = async (ms: number) => {
      let last = performance.now();
      let longest = 0;
      const ticker = setInterval(() => {
        const now = performance.now();
        longest = Math.max(longest, now - last);
        last = now;
      }, 10);
      await new Promise((resolve) => setTimeout(resolve, ms));
      clearInterval(ticker);
      return longest;
    };
    flags.set('ad-cpu-burn', { 'block-ms': 200 });
    const burning = await longestGap(1_200);
    flags.set('ad-cpu-burn', undefined);
    assert.ok(burning >= 190, `the loop stalled at most ${burning} ms`);
    assert.equal(await grpcCode(shop.clients.ad.getAds({ contextKeys: [] })), 'ok');
  });

  it('recommendation-leak keeps kb-per-call on the heap with every call', async () => {
    // Collected before each reading: garbage the earlier tests left would otherwise be freed
    // between them and hide the growth (it read 3.3 MB once).
    const used = () => {
      collectGarbage();
      return process.memoryUsage().heapUsed;
    };
    flags.set('recommendation-leak', { 'kb-per-call': 4096 });
    const before = used();
    for (let i = 0; i < 5; i++)
      await shop.clients.recommendation.listRecommendations({ userId: 'u', productIds: [] });
    const grown = used() - before;
    assert.ok(grown > 15 * 1024 * 1024, `heap grew ${grown / 1e6} MB`);
    // Switched off, the next call lets the memory go.
    flags.set('recommendation-leak', undefined);
    await shop.clients.recommendation.listRecommendations({ userId: 'u', productIds: [] });
    assert.ok(used() - before < 5 * 1024 * 1024, `heap still ${(used() - before) / 1e6} MB over after off`);
  });

  it('product-drained: the product reads 0 in stock and orders with it are refused; others still sell', async () => {
    flags.set('product-drained', { product: PRODUCT });
    const { levels } = await shop.clients.inventory.getStock({ productIds: [PRODUCT] });
    assert.equal(levels[0]?.quantity, 0);
    const userId = newShopper();
    await fillCart(shop.clients, userId, [[PRODUCT, 1]]);
    assert.equal(await grpcCode(shop.clients.checkout.placeOrder(orderRequest(userId))), 9);
    const other = newShopper();
    await fillCart(shop.clients, other, [[OTHER, 1]]);
    assert.equal(await grpcCode(shop.clients.checkout.placeOrder(orderRequest(other))), 'ok');
    flags.set('product-drained', undefined);
    assert.ok(
      ((await shop.clients.inventory.getStock({ productIds: [PRODUCT] })).levels[0]?.quantity ?? 0) > 0,
    );
  });

  it('orders-fail-after-charge: the order fails after the charge and checkout voids it', async () => {
    flags.set('orders-fail-after-charge', { rate: 1 });
    const userId = newShopper();
    await fillCart(shop.clients, userId, [[OTHER, 1]]);
    assert.notEqual(await grpcCode(shop.clients.checkout.placeOrder(orderRequest(userId))), 'ok');
    flags.set('orders-fail-after-charge', undefined);
    assert.ok(
      shop.logs.some((l) => l.includes('"charge voided"')),
      'payment voided the charge',
    );
    assert.ok(shop.logs.some((l) => l.includes('"call failed"') && l.includes('OrderService/CreateOrder')));
  });

  it('orders-db-slow runs a real pg_sleep before saving the order', async () => {
    flags.set('orders-db-slow', { 'delay-ms': 400 });
    const userId = newShopper();
    await fillCart(shop.clients, userId, [[OTHER, 1]]);
    const took = await elapsedMs(() => shop.clients.checkout.placeOrder(orderRequest(userId)));
    flags.set('orders-db-slow', undefined);
    assert.ok(took >= 400, `took ${took} ms`);
  });

  it('frontend-route-errors: its route answers 500 and the page failure is logged; other routes are fine', async () => {
    const lines: string[] = [];
    const logger = createLogger({
      serviceName: 'frontend',
      level: 'info',
      destination: { write: (line: string) => lines.push(line) },
    });
    const app = createFrontend(readFrontendConfig(envReader({})), {
      logger,
      metrics: new ServiceMetrics({ defaultMetrics: false }),
      addReadinessCheck: () => undefined,
      onShutdown: () => undefined,
      client: () => {
        throw new Error('the backends are given');
      },
      backends: backendsFor(shop),
      flags,
    });
    try {
      flags.set('frontend-route-errors', { rate: 1, route: '/product/:id' });
      assert.equal((await app.inject({ url: `/product/${PRODUCT}` })).statusCode, 500);
      assert.equal((await app.inject({ url: '/' })).statusCode, 200);
      assert.ok(lines.some((l) => l.includes('"page failed"')));
      flags.set('frontend-route-errors', undefined);
      assert.equal((await app.inject({ url: `/product/${PRODUCT}` })).statusCode, 200);
    } finally {
      await app.close();
    }
  });
});
