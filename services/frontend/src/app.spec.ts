import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { hipstershop } from '@glasshouse/contracts';
import { ServiceMetrics, createClient, createLogger } from '@glasshouse/kit';
import { freePort } from '@glasshouse/kit/testing';
import { convert, formatMoney, parseRate } from '@glasshouse/money';
import type { InProcessShop } from '@glasshouse/testing';
import { backendsFor, startInProcessShop } from '@glasshouse/testing';
import { SEED_PRODUCTS } from '../../productcatalog/src/seed-products.js';
import { buildFrontend } from './app.js';

const logger = createLogger({ serviceName: 'frontend-test', level: 'silent' });
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

const cookie = (response: LightMyRequestResponse, name: string) =>
  response.cookies.find((c) => c.name === name);
const prices = (html: string): string[] =>
  [...html.matchAll(/data-testid="product-price">([^<]*)</g)].map((m) => m[1]?.trim() ?? '');

describe('frontend over the in-process shop', () => {
  const metrics = new ServiceMetrics({ defaultMetrics: false });
  let shop: InProcessShop;
  let app: FastifyInstance;
  const get = (url: string, cookies: Record<string, string> = {}) =>
    app.inject({ method: 'GET', url, cookies });
  const setCurrency = (payload: string, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url: '/setCurrency', headers: { ...FORM, ...headers }, payload });

  before(async () => {
    shop = await startInProcessShop({ logLevel: 'warn' });
    app = buildFrontend({ backends: backendsFor(shop, metrics), logger, metrics });
    await app.ready();
  });

  after(async () => {
    await app.close();
    await shop.stop();
  });

  it('shows every product with a price on the home page, in dollars by default', async () => {
    const response = await get('/');
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /^text\/html/);
    for (const product of SEED_PRODUCTS) assert.ok(response.body.includes(product.name), product.name);
    const shown = prices(response.body);
    assert.equal(shown.length, SEED_PRODUCTS.length);
    assert.ok(shown.includes('$64.00'), shown.join(' '));
  });

  it('shows prices in euros when the currency cookie says EUR', async () => {
    const usd = prices((await get('/')).body);
    const response = await get('/', { shop_currency: 'EUR' });
    assert.equal(response.statusCode, 200);
    const eur = prices(response.body);
    assert.equal(eur.length, SEED_PRODUCTS.length);
    for (const price of eur) assert.ok(price.startsWith('€'), price);
    assert.notDeepEqual(eur, usd);
    const rates = { usd: parseRate('1.1305'), eur: parseRate('1') };
    const terrarium = convert({ currencyCode: 'USD', units: 64n, nanos: 0 }, rates.usd, rates.eur, 'EUR');
    assert.ok(eur.includes(formatMoney(terrarium)), `${formatMoney(terrarium)} not in ${eur.join(' ')}`);
  });

  it('issues an HttpOnly, SameSite=Lax session cookie on the first visit only', async () => {
    const first = await get('/');
    const session = cookie(first, 'shop_session-id');
    assert.ok(session, 'no session cookie');
    assert.match(session.value, /^[A-Za-z0-9-]{8,64}$/);
    assert.equal(session.httpOnly, true);
    assert.equal(session.sameSite, 'Lax');
    const again = await get('/', { 'shop_session-id': session.value });
    assert.equal(cookie(again, 'shop_session-id'), undefined);
  });

  it('shows a product page with an add-to-cart form', async () => {
    const response = await get('/product/OLJCESPC7Z');
    assert.equal(response.statusCode, 200);
    assert.ok(response.body.includes('Glass Terrarium Kit'));
    assert.match(response.body, /<form class="add-to-cart" method="post" action="\/cart">/);
    assert.ok(response.body.includes('name="product_id" value="OLJCESPC7Z"'));
  });

  it('answers 404 with a message for an unknown or malformed product id', async () => {
    const unknown = await get('/product/UNKNOWN0000');
    assert.equal(unknown.statusCode, 404);
    assert.match(unknown.body, /data-testid="error-message">[^<]*UNKNOWN0000/);
    const malformed = await get('/product/bad%20id');
    assert.equal(malformed.statusCode, 404);
    assert.match(malformed.body, /There is no product with id &quot;bad id&quot;/);
  });

  it('sets the currency cookie and redirects', async () => {
    const response = await setCurrency('currency_code=EUR');
    assert.equal(response.statusCode, 302);
    assert.equal(response.headers.location, '/');
    const currency = cookie(response, 'shop_currency');
    assert.equal(currency?.value, 'EUR');
    assert.equal(currency.httpOnly, true);
  });

  it('redirects back to a same-origin referer, never to another site', async () => {
    const post = (referer: string) => setCurrency('currency_code=JPY', { host: 'shop.test:8080', referer });
    const back = 'http://shop.test:8080/product/OLJCESPC7Z';
    assert.equal((await post(back)).headers.location, back);
    // A referer from another site is refused outright now (CSRF check), so nothing sends it back there.
    const foreign = await post('https://evil.test/phish');
    assert.equal(foreign.statusCode, 403);
    assert.equal(foreign.headers.location, undefined);
  });

  it('refuses an unsupported or malformed currency with a 400 page', async () => {
    const unsupported = await setCurrency('currency_code=XYZ');
    assert.equal(unsupported.statusCode, 400);
    assert.match(unsupported.body, /The currency XYZ is not supported/);
    assert.equal(cookie(unsupported, 'shop_currency'), undefined);
    for (const payload of ['', 'currency_code=eur!', 'currency_code=eur']) {
      const response = await setCurrency(payload);
      assert.equal(response.statusCode, 400, payload);
      assert.match(response.body, /currency_code must be a three-letter currency code/);
    }
  });

  it('answers liveness, and 404 HTML for an unknown path', async () => {
    const health = await get('/_healthz');
    assert.equal(health.statusCode, 200);
    assert.equal(health.body, 'ok');
    const missing = await get('/no/such/page');
    assert.equal(missing.statusCode, 404);
    assert.match(String(missing.headers['content-type']), /^text\/html/);
    assert.match(missing.body, /Nothing lives at \/no\/such\/page/);
  });

  it('exposes request durations by route on /metrics', async () => {
    await get('/product/OLJCESPC7Z');
    const body = (await get('/metrics')).body;
    assert.match(
      body,
      /^http_server_request_duration_seconds_count\{[^}]*http_route="\/product\/:id"[^}]*\} [1-9]/m,
    );
    assert.match(body, /^page_views_total\{page="home"\} [1-9]/m);
  });

  it('exposes page views as page_views_total', async () => {
    await get('/');
    assert.match((await get('/metrics')).body, /^page_views_total\{page="home"\} \d+$/m);
  });

  it('answers 503 when the product catalog is down, and keeps serving', async () => {
    const outageMetrics = new ServiceMetrics({ defaultMetrics: false });
    const catalog = createClient(
      hipstershop.ProductCatalogServiceClient,
      hipstershop.ProductCatalogServiceService,
      {
        address: `127.0.0.1:${await freePort()}`,
        metrics: outageMetrics,
        deadlineMs: 1000,
      },
    );
    const down = { ...backendsFor(shop, outageMetrics), catalog };
    const outage = buildFrontend({ backends: down, logger, metrics: outageMetrics });
    try {
      const response = await outage.inject({ method: 'GET', url: '/' });
      assert.equal(response.statusCode, 503);
      assert.match(response.body, /The product catalog is unavailable right now/);
      assert.equal((await outage.inject({ method: 'GET', url: '/product/OLJCESPC7Z' })).statusCode, 503);
      assert.equal((await outage.inject({ method: 'GET', url: '/_healthz' })).statusCode, 200);
      assert.equal((await get('/')).statusCode, 200);
    } finally {
      await outage.close();
      catalog.close();
    }
  });
});
