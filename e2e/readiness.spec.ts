import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createCartService, readCartConfig } from '@glasshouse/cart';
import { createCheckoutService, readCheckoutConfig } from '@glasshouse/checkout';
import { createFrontend, readFrontendConfig } from '@glasshouse/frontend';
import type { ServiceContext } from '@glasshouse/kit';
import {
  FixedFeatureFlags,
  GrpcServer,
  ServiceMetrics,
  addressVariable,
  createLogger,
  createServiceContext,
  envReader,
  startAdmin,
} from '@glasshouse/kit';
import { freePort, waitFor } from '@glasshouse/kit/testing';
import type { InProcessShop, ShopService } from '@glasshouse/testing';
import { SHOP_SERVICES, startInProcessShop } from '@glasshouse/testing';

/**
 * A cart that can go away and come back on the same port, as a restarted pod or process does:
 * the one dependency the test takes down, the rest of the shop staying up.
 */
class RestartableCart {
  private server: GrpcServer | undefined;

  constructor(readonly port: number) {}

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const logger = createLogger({ serviceName: 'cart', level: 'warn' });
    const metrics = new ServiceMetrics({ defaultMetrics: false });
    const server = new GrpcServer({ logger, metrics });
    createCartService(readCartConfig(envReader({})), {
      server,
      logger,
      metrics,
      addReadinessCheck: () => undefined,
      onShutdown: () => undefined,
      flags: new FixedFeatureFlags(),
      client: () => {
        throw new Error('the cart calls nothing');
      },
    });
    await server.listen('127.0.0.1', this.port);
    this.server = server;
  }

  async stop(): Promise<void> {
    await this.server?.shutdown(1000);
    this.server = undefined;
  }
}

async function readyz(url: string): Promise<{ status: number; checks: Record<string, string> }> {
  const response = await fetch(url);
  const body = (await response.json()) as { checks?: Record<string, string> };
  return { status: response.status, checks: body.checks ?? {} };
}

/** Checkout and the frontend as main.ts builds them, with their dependencies at `addresses`. */
describe('readiness follows the dependencies a service cannot work without', () => {
  let shop: InProcessShop;
  let cart: RestartableCart;
  const contexts: ServiceContext[] = [];
  let checkoutReadyz = '';
  let frontendReadyz = '';

  before(async () => {
    shop = await startInProcessShop({ logLevel: 'warn' });
    cart = new RestartableCart(await freePort());
    await cart.start();
    const adminPort = await freePort();
    const env: Record<string, string> = { LOG_LEVEL: 'warn', CHECKOUT_ADMIN_ADDR: `127.0.0.1:${adminPort}` };
    for (const name of SHOP_SERVICES.filter((s: ShopService) => s !== 'cart'))
      env[addressVariable(name)] = shop.addresses[name];
    env[addressVariable('cart')] = cart.address;

    const checkout = createServiceContext('checkout', env);
    contexts.push(checkout);
    createCheckoutService(readCheckoutConfig(checkout.env), {
      ...checkout,
      server: new GrpcServer({ logger: checkout.logger, metrics: checkout.metrics }),
    });
    await startAdmin(checkout);
    checkoutReadyz = `http://127.0.0.1:${adminPort}/readyz`;

    const frontend = createServiceContext('frontend', env);
    contexts.push(frontend);
    const app = createFrontend(readFrontendConfig(frontend.env), frontend);
    frontend.onShutdown('http server', () => app.close());
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    assert.ok(address && typeof address === 'object');
    frontendReadyz = `http://127.0.0.1:${address.port}/readyz`;
  });

  after(async () => {
    await Promise.all(contexts.map((context) => context.lifecycle.shutdown()));
    await cart?.stop();
    await shop?.stop();
  });

  it('is ready while every dependency answers, turns 503 naming the cart when it is down, and ready again when it returns', async () => {
    for (const url of [checkoutReadyz, frontendReadyz]) {
      const probe = await readyz(url);
      assert.equal(probe.status, 200, `${url}: ${JSON.stringify(probe.checks)}`);
      assert.equal(probe.checks.cart, 'ok', url);
    }
    assert.equal(
      (await readyz(checkoutReadyz)).checks.payment,
      'ok',
      'checkout cannot charge without payment',
    );
    assert.equal((await readyz(frontendReadyz)).checks.productcatalog, 'ok', 'no page without the catalog');

    await cart.stop();
    for (const url of [checkoutReadyz, frontendReadyz]) {
      const probe = await readyz(url);
      assert.equal(probe.status, 503, url);
      assert.match(probe.checks.cart ?? '', new RegExp(cart.address), url);
    }

    await cart.start();
    for (const url of [checkoutReadyz, frontendReadyz]) {
      await waitFor(async () => (await readyz(url)).status === 200, {
        timeoutMs: 10_000,
        what: `${url} ready again`,
      });
    }
  });

  it('stays ready without the optional ones: email for checkout, ads and recommendations for the frontend', async () => {
    assert.equal((await readyz(checkoutReadyz)).checks.email, undefined);
    const frontend = await readyz(frontendReadyz);
    assert.equal(frontend.checks.ad, undefined);
    assert.equal(frontend.checks.recommendation, undefined);
    await shop.stopService('email');
    await shop.stopService('ad');
    assert.equal((await readyz(checkoutReadyz)).status, 200);
    assert.equal((await readyz(frontendReadyz)).status, 200);
  });
});
