import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { ServiceMetrics, createLogger } from '@glasshouse/kit';
import type { InProcessShop } from '@glasshouse/testing';
import { backendsFor, startInProcessShop } from '@glasshouse/testing';
import { testClock } from '@glasshouse/testing';
import { buildFrontend } from './app.js';

const logger = createLogger({ serviceName: 'frontend-test', level: 'silent' });
const TERRARIUM = 'OLJCESPC7Z';
const CHECKOUT = {
  email: 'someone@example.com',
  street_address: '1600 Amphitheatre Parkway',
  zip_code: '94043',
  city: 'Mountain View',
  state: 'CA',
  country: 'United States',
  credit_card_number: '4432801561520454',
  credit_card_expiration_month: '1',
  credit_card_expiration_year: '2030',
  credit_card_cvv: '672',
};

/** The shop with parts of it stopped: optional parts drop out, required ones give a 503 page. */
describe('the frontend when services it calls are down', () => {
  const metrics = new ServiceMetrics({ defaultMetrics: false });
  let shop: InProcessShop;
  let app: FastifyInstance;
  const cookies = { 'shop_session-id': randomUUID() };
  const get = (url: string) => app.inject({ method: 'GET', url, cookies });
  const post = (url: string, fields: Record<string, string>) =>
    app.inject({
      method: 'POST',
      url,
      cookies,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(fields).toString(),
    });

  before(async () => {
    shop = await startInProcessShop({ now: testClock, logLevel: 'warn' });
    app = buildFrontend({ backends: backendsFor(shop, metrics), logger, metrics });
    await app.ready();
  });
  after(async () => {
    await app.close();
    await shop.stop();
  });

  it('shows an ad and recommendations while their services run', async () => {
    const home = await get('/');
    assert.equal(home.statusCode, 200);
    assert.match(home.body, /data-testid="ad"/);
    const product = await get(`/product/${TERRARIUM}`);
    assert.equal(product.statusCode, 200);
    assert.match(product.body, /data-testid="recommendations"/);
    assert.doesNotMatch(product.body, /data-testid="notice"/);
  });

  it('renders the home and product pages without ad and recommendation services', async () => {
    await Promise.all([shop.stopService('ad'), shop.stopService('recommendation')]);
    const home = await get('/');
    assert.equal(home.statusCode, 200);
    assert.match(home.body, /data-testid="product-card"/);
    assert.doesNotMatch(home.body, /data-testid="ad"/);

    const product = await get(`/product/${TERRARIUM}`);
    assert.equal(product.statusCode, 200);
    assert.match(product.body, /data-testid="product-name">Glass Terrarium Kit</);
    assert.doesNotMatch(product.body, /data-testid="ad"/);
    assert.doesNotMatch(product.body, /data-testid="recommendations"/);
    assert.match(product.body, /data-testid="notice">[\s\S]*Recommendations are unavailable right now/);
  });

  it('answers checkout with a 503 page while the checkout service is down, and keeps serving', async () => {
    assert.equal((await post('/cart', { product_id: TERRARIUM, quantity: '1' })).statusCode, 302);
    await shop.stopService('checkout');
    const answer = await post('/cart/checkout', CHECKOUT);
    assert.equal(answer.statusCode, 503);
    assert.match(String(answer.headers['content-type']), /^text\/html/);
    assert.match(answer.body, /The checkout service is unavailable right now/);
    assert.equal((await get('/cart')).statusCode, 200);
    assert.equal((await get('/')).statusCode, 200);
    const cart = await shop.clients.cart.getCart({ userId: cookies['shop_session-id'] });
    assert.deepEqual(cart.items, [{ productId: TERRARIUM, quantity: 1 }]);
  });
});
