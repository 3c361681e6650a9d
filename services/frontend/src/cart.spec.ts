import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { ServiceMetrics, createLogger } from '@glasshouse/kit';
import type { InProcessShop } from '@glasshouse/testing';
import { backendsFor, csrfTokenOf, startInProcessShop } from '@glasshouse/testing';
import { testClock } from '@glasshouse/testing';
import { buildFrontend } from './app.js';

const logger = createLogger({ serviceName: 'frontend-test', level: 'silent' });
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const TERRARIUM = 'OLJCESPC7Z';

/** The checkout form as the demo shopper fills it; the card is valid at the shop's test clock. */
const CHECKOUT: Readonly<Record<string, string>> = {
  email: 'someone@example.com',
  street_address: '1600 Amphitheatre Parkway',
  zip_code: '94043',
  city: 'Mountain View',
  state: 'CA',
  country: 'United States',
  credit_card_number: '4432-8015-6152-0454',
  credit_card_expiration_month: '1',
  credit_card_expiration_year: '2030',
  credit_card_cvv: '672',
};

/** Each required field, and what the 400 page says when it is missing. */
const REQUIRED: readonly (readonly [string, RegExp])[] = [
  ['email', /Please enter a valid email address/],
  ['street_address', /Please enter a street address/],
  ['zip_code', /The zip code must be a number/],
  ['city', /Please enter a city/],
  ['country', /Please enter a country/],
  ['credit_card_number', /The card number must have 12 to 19 digits/],
  ['credit_card_expiration_month', /The expiration month must be between 1 and 12/],
  ['credit_card_expiration_year', /The expiration year must have four digits/],
  ['credit_card_cvv', /The CVV must have 3 or 4 digits/],
];

const texts = (html: string, testId: string): string[] =>
  [...html.matchAll(new RegExp(`data-testid="${testId}"[^>]*>([^<]*)<`, 'g'))].map((m) =>
    (m[1] ?? '').trim(),
  );

describe('the cart and checkout pages over the in-process shop', () => {
  const metrics = new ServiceMetrics({ defaultMetrics: false });
  let shop: InProcessShop;
  let app: FastifyInstance;

  /** A visitor with a session of its own. */
  const visitor = () => {
    const cookies = { 'shop_session-id': randomUUID() };
    return {
      userId: cookies['shop_session-id'],
      get: (url: string) => app.inject({ method: 'GET', url, cookies }),
      post: (url: string, fields: Record<string, string> = {}, headers: Record<string, string> = {}) =>
        app.inject({
          method: 'POST',
          url,
          cookies,
          headers: { ...FORM, ...headers },
          payload: new URLSearchParams(fields).toString(),
        }),
    };
  };
  const withCart = async (quantity = 1) => {
    const shopper = visitor();
    const added = await shopper.post('/cart', { product_id: TERRARIUM, quantity: String(quantity) });
    assert.equal(added.statusCode, 302);
    return shopper;
  };

  before(async () => {
    shop = await startInProcessShop({ now: testClock, logLevel: 'warn' });
    app = buildFrontend({ backends: backendsFor(shop, metrics), logger, metrics });
    await app.ready();
  });
  after(async () => {
    await app.close();
    await shop.stop();
  });

  it('adds to the cart, merging quantities, and shows lines and totals', async () => {
    const shopper = visitor();
    const added = await shopper.post('/cart', { product_id: TERRARIUM, quantity: '2' });
    assert.equal(added.statusCode, 302);
    assert.equal(added.headers.location, '/cart');
    const page = await shopper.get('/cart');
    assert.equal(page.statusCode, 200);
    assert.deepEqual(texts(page.body, 'line-name'), ['Glass Terrarium Kit']);
    assert.deepEqual(texts(page.body, 'line-quantity'), ['2']);
    assert.deepEqual(texts(page.body, 'line-total'), ['$128.00']);
    assert.deepEqual(texts(page.body, 'cart-subtotal'), ['$128.00']);
    assert.deepEqual(texts(page.body, 'cart-shipping'), ['$8.99']);
    assert.deepEqual(texts(page.body, 'cart-total'), ['$136.99']);
    assert.deepEqual(texts(page.body, 'cart-size'), ['2']);

    await shopper.post('/cart', { product_id: TERRARIUM, quantity: '1' });
    assert.deepEqual(texts((await shopper.get('/cart')).body, 'line-quantity'), ['3']);
  });

  it('refuses a bad product id or quantity with a 400 page naming the field', async () => {
    const shopper = visitor();
    for (const [fields, field] of [
      [{ quantity: '1' }, 'product_id'],
      [{ product_id: 'bad id!', quantity: '1' }, 'product_id'],
      [{ product_id: TERRARIUM, quantity: '0' }, 'quantity'],
      [{ product_id: TERRARIUM, quantity: '100' }, 'quantity'],
      [{ product_id: TERRARIUM, quantity: 'abc' }, 'quantity'],
    ] as const) {
      const answer = await shopper.post('/cart', fields);
      assert.equal(answer.statusCode, 400, JSON.stringify(fields));
      assert.match(texts(answer.body, 'error-message')[0] ?? '', new RegExp(`^${field}\\b`));
    }
    assert.equal((await shopper.post('/cart', { product_id: 'NOSUCHPROD' })).statusCode, 404);
    assert.deepEqual((await shop.clients.cart.getCart({ userId: shopper.userId })).items, []);
  });

  it('refuses a repeated field or a JSON value that is not text with a 400 naming the field', async () => {
    const cookies = { 'shop_session-id': randomUUID() };
    const repeated = `product_id=${TERRARIUM}&quantity=1&quantity=2`;
    const cases: readonly (readonly [string, string, string, string])[] = [
      ['/cart', FORM['content-type'], repeated, 'quantity'],
      ['/cart/checkout', FORM['content-type'], `${new URLSearchParams(CHECKOUT).toString()}&city=x`, 'city'],
      ['/setCurrency', FORM['content-type'], 'currency_code=EUR&currency_code=USD', 'currency_code'],
      ['/cart', 'application/json', JSON.stringify({ product_id: TERRARIUM, quantity: 2 }), 'quantity'],
      ['/cart/checkout', 'application/json', JSON.stringify({ ...CHECKOUT, zip_code: 94043 }), 'zip_code'],
      ['/setCurrency', 'application/json', JSON.stringify({ currency_code: ['EUR'] }), 'currency_code'],
      [
        '/setCurrency',
        'application/json',
        JSON.stringify({ currency_code: { code: 'EUR' } }),
        'currency_code',
      ],
      [
        '/cart/checkout',
        FORM['content-type'],
        new URLSearchParams({ ...CHECKOUT, city: 'a\u0000b' }).toString(),
        'city',
      ],
    ];
    for (const [url, type, payload, field] of cases) {
      const answer = await app.inject({
        method: 'POST',
        url,
        cookies,
        headers: { 'content-type': type },
        payload,
      });
      assert.equal(answer.statusCode, 400, `${url} ${payload}: ${answer.statusCode}`);
      assert.match(
        texts(answer.body, 'error-message')[0] ?? '',
        new RegExp(`The field ${field} `),
        `${url} ${payload}`,
      );
    }
    const notAForm = await app.inject({
      method: 'POST',
      url: '/cart',
      cookies,
      headers: { 'content-type': 'application/json' },
      payload: '[1,2]',
    });
    assert.equal(notAForm.statusCode, 400);
    assert.deepEqual((await shop.clients.cart.getCart({ userId: cookies['shop_session-id'] })).items, []);
  });

  it('empties the cart', async () => {
    const shopper = await withCart(2);
    const emptied = await shopper.post('/cart/empty');
    assert.equal(emptied.statusCode, 302);
    assert.equal(emptied.headers.location, '/cart');
    const page = await shopper.get('/cart');
    assert.equal(texts(page.body, 'line-name').length, 0);
    assert.match(page.body, /data-testid="cart-empty"/);
  });

  it('places an order, confirms it with its id, and lists it under /orders', async () => {
    const shopper = await withCart(2);
    const placed = await shopper.post('/cart/checkout', { ...CHECKOUT, idempotency_key: randomUUID() });
    assert.equal(placed.statusCode, 200, placed.body);
    const [orderId] = texts(placed.body, 'order-id');
    assert.match(orderId ?? '', /^[0-9a-f-]{36}$/);
    assert.match(texts(placed.body, 'tracking-id')[0] ?? '', /\S{6,}/);
    assert.deepEqual(texts(placed.body, 'cart-size'), ['0']);

    const history = await shopper.get('/orders');
    assert.equal(history.statusCode, 200);
    assert.deepEqual(texts(history.body, 'order-id'), [orderId]);
    assert.deepEqual(texts(history.body, 'order-total'), ['$136.99']);
    assert.deepEqual((await shop.clients.cart.getCart({ userId: shopper.userId })).items, []);
  });

  it('shows the cart again with the reason for an expired card, keeping the address but not the card', async () => {
    const shopper = await withCart();
    const refused = await shopper.post('/cart/checkout', {
      ...CHECKOUT,
      credit_card_expiration_month: '5',
      credit_card_expiration_year: '2026',
    });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /data-testid="checkout-error"/);
    assert.match(refused.body, /credit card expired 05\/2026/);
    for (const value of ['someone@example.com', '1600 Amphitheatre Parkway', '94043', 'Mountain View'])
      assert.ok(refused.body.includes(`value="${value}"`), `the form lost ${value}`);
    for (const secret of ['4432-8015-6152-0454', '4432801561520454', 'value="672"'])
      assert.ok(!refused.body.includes(secret), `the page shows ${secret}`);
    assert.deepEqual(texts(refused.body, 'line-quantity'), ['1']);
    const orders = await shop.clients.orders.listOrders({ userId: shopper.userId, limit: 0 });
    assert.equal(orders.orders.length, 0);
  });

  it('refuses a checkout missing any required field with a 400 page naming it', async () => {
    const shopper = await withCart();
    for (const [field, message] of REQUIRED) {
      const form = Object.fromEntries(Object.entries(CHECKOUT).filter(([name]) => name !== field));
      const refused = await shopper.post('/cart/checkout', form);
      assert.equal(refused.statusCode, 400, field);
      assert.match(refused.body, message, field);
      assert.match(refused.body, /data-testid="checkout-error"/, field);
    }
    const orders = await shop.clients.orders.listOrders({ userId: shopper.userId, limit: 0 });
    assert.equal(orders.orders.length, 0);
  });

  it('refuses a form posted from another site, or by a browser without the CSRF token, with 403, changing nothing', async () => {
    const shopper = await withCart();
    const evil = { origin: 'http://evil.example' };
    const added = await shopper.post('/cart', { product_id: TERRARIUM, quantity: '5' }, evil);
    assert.equal(added.statusCode, 403);
    assert.equal((await shopper.post('/cart/empty', {}, evil)).statusCode, 403);
    assert.equal((await shopper.post('/cart/checkout', CHECKOUT, evil)).statusCode, 403);
    const cart = await shop.clients.cart.getCart({ userId: shopper.userId });
    assert.deepEqual(cart.items, [{ productId: TERRARIUM, quantity: 1 }]);
    // From the shop itself a browser's form must carry the page's CSRF token too.
    const sameSiteHeaders = { host: 'shop.test:8080', origin: 'http://shop.test:8080' };
    const untokened = await shopper.post('/cart', { product_id: TERRARIUM }, sameSiteHeaders);
    assert.equal(untokened.statusCode, 403);
    const page = await shopper.get('/cart');
    const secret = page.cookies.find((c) => c.name === 'shop_csrf')?.value ?? '';
    const token = csrfTokenOf(page.body) ?? '';
    const sameSite = await app.inject({
      method: 'POST',
      url: '/cart',
      cookies: { 'shop_session-id': shopper.userId, shop_csrf: secret },
      headers: { ...FORM, ...sameSiteHeaders },
      payload: new URLSearchParams({ product_id: TERRARIUM, _csrf: token }).toString(),
    });
    assert.equal(sameSite.statusCode, 302);
  });
});
