import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createCheckoutService, readCheckoutConfig } from '@glasshouse/checkout';
import { createCurrencyService, readCurrencyConfig } from '@glasshouse/currency';
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
 * Currency, which neither checkout nor the frontend can work without, able to go away and come
 * back on the same port as a restarted pod or process does; the rest of the shop stays up.
 */
class RestartableCurrency {
  private server: GrpcServer | undefined;

  constructor(readonly port: number) {}

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const logger = createLogger({ serviceName: 'currency', level: 'warn' });
    const metrics = new ServiceMetrics({ defaultMetrics: false });
    const server = new GrpcServer({ logger, metrics });
    await createCurrencyService(readCurrencyConfig(envReader({})), {
      server,
      logger,
      metrics,
      addReadinessCheck: () => undefined,
      onShutdown: () => undefined,
      flags: new FixedFeatureFlags(),
      client: () => {
        throw new Error('currency calls nothing');
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
  let currency: RestartableCurrency;
  const contexts: ServiceContext[] = [];
  let checkoutReadyz = '';
  let frontendReadyz = '';

  before(async () => {
    shop = await startInProcessShop({ logLevel: 'warn' });
    currency = new RestartableCurrency(await freePort());
    await currency.start();
    const adminPort = await freePort();
    const env: Record<string, string> = { LOG_LEVEL: 'warn', CHECKOUT_ADMIN_ADDR: `127.0.0.1:${adminPort}` };
    for (const name of SHOP_SERVICES.filter((s: ShopService) => s !== 'currency'))
      env[addressVariable(name)] = shop.addresses[name];
    env[addressVariable('currency')] = currency.address;

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
    await currency?.stop();
    await shop?.stop();
  });

  it('is ready while every dependency answers, turns 503 naming currency when it is down, and ready again when it returns', async () => {
    for (const url of [checkoutReadyz, frontendReadyz]) {
      const probe = await readyz(url);
      assert.equal(probe.status, 200, `${url}: ${JSON.stringify(probe.checks)}`);
      assert.equal(probe.checks.currency, 'ok', url);
    }
    assert.equal(
      (await readyz(checkoutReadyz)).checks.payment,
      'ok',
      'checkout cannot charge without payment',
    );
    assert.equal((await readyz(frontendReadyz)).checks.productcatalog, 'ok', 'no page without the catalog');

    await currency.stop();
    for (const url of [checkoutReadyz, frontendReadyz]) {
      const probe = await readyz(url);
      assert.equal(probe.status, 503, url);
      assert.match(probe.checks.currency ?? '', new RegExp(currency.address), url);
    }

    await currency.start();
    for (const url of [checkoutReadyz, frontendReadyz]) {
      await waitFor(async () => (await readyz(url)).status === 200, {
        timeoutMs: 10_000,
        what: `${url} ready again`,
      });
    }
  });

  it('stays ready without the optional ones: email for checkout; ads, recommendations and the cart for the frontend', async () => {
    assert.equal((await readyz(checkoutReadyz)).checks.email, undefined);
    const frontend = await readyz(frontendReadyz);
    assert.equal(frontend.checks.ad, undefined);
    assert.equal(frontend.checks.recommendation, undefined);
    assert.equal(frontend.checks.cart, undefined);
    assert.equal(
      (await readyz(checkoutReadyz)).checks.cart,
      'ok',
      'checkout cannot place an order without the cart',
    );
    await shop.stopService('email');
    await shop.stopService('ad');
    assert.equal((await readyz(checkoutReadyz)).status, 200);
    assert.equal((await readyz(frontendReadyz)).status, 200);
  });
});
