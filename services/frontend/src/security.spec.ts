import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { ServiceMetrics, createLogger } from '@glasshouse/kit';
import type { InProcessShop } from '@glasshouse/testing';
import { backendsFor, startInProcessShop } from '@glasshouse/testing';
import { buildFrontend } from './app.js';
import { Visitor, setCookieHeader } from './spec-support.js';

const logger = createLogger({ serviceName: 'frontend-test', level: 'silent' });
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/**
 * The shop's security without accounts: headers on every page, CSRF tokens on browsers' forms
 * (Online Boutique's scripts keep working), rate limits per client address, and cookies.
 */
describe('the shop’s security headers, CSRF protection, rate limits and cookies', () => {
  let shop: InProcessShop;
  let app: FastifyInstance;
  let behindProxy: FastifyInstance;

  before(async () => {
    shop = await startInProcessShop({ logLevel: 'warn' });
    const backends = backendsFor(shop);
    const metrics = () => new ServiceMetrics({ defaultMetrics: false });
    app = buildFrontend({
      backends,
      logger,
      metrics: metrics(),
      rateLimits: { signInPerMinute: 3, checkoutPerMinute: 2 },
    });
    behindProxy = buildFrontend({ backends, logger, metrics: metrics(), trustProxy: true });
  });
  after(async () => {
    await app?.close();
    await behindProxy?.close();
    await shop?.stop();
  });

  it('sends a strict Content-Security-Policy and the other security headers on pages, errors and files', async () => {
    for (const url of ['/', '/cart', '/product/nope', '/static/css/shop.css', '/login']) {
      const response = await app.inject({ url });
      const csp = String(response.headers['content-security-policy']);
      assert.match(csp, /script-src 'self'(;|$)/, url);
      assert.match(csp, /script-src-attr 'none'/, url);
      assert.match(csp, /connect-src 'self'/, url);
      assert.match(csp, /frame-ancestors 'none'/, url);
      assert.match(csp, /default-src 'self'/, url);
      assert.equal(response.headers['x-content-type-options'], 'nosniff', url);
      assert.equal(response.headers['referrer-policy'], 'strict-origin-when-cross-origin', url);
      assert.equal(response.headers['strict-transport-security'], undefined, 'no HSTS over plain HTTP');
    }
  });

  it('renders pages with no inline script or event handler, which the policy would block', async () => {
    for (const url of ['/', '/cart', '/login', '/signup']) {
      const { body } = await app.inject({ url });
      assert.doesNotMatch(body, /<script(?![^>]*\ssrc=)[^>]*>/, url);
      assert.doesNotMatch(body, /\son[a-z]+="/, url);
    }
  });

  it('marks cookies HttpOnly and SameSite, and Secure only when the page came over TLS', async () => {
    const plain = await app.inject({ url: '/' });
    const session = setCookieHeader(plain, 'shop_session-id');
    assert.match(session, /HttpOnly/);
    assert.match(session, /SameSite=Lax/);
    assert.doesNotMatch(session, /Secure/);
    assert.match(setCookieHeader(plain, 'shop_csrf'), /HttpOnly; SameSite=Lax/);

    const spoofed = await app.inject({ url: '/', headers: { 'x-forwarded-proto': 'https' } });
    assert.doesNotMatch(setCookieHeader(spoofed, 'shop_session-id'), /Secure/, 'no proxy is trusted');

    const proxied = await behindProxy.inject({ url: '/', headers: { 'x-forwarded-proto': 'https' } });
    assert.match(setCookieHeader(proxied, 'shop_session-id'), /; Secure/);
    assert.match(setCookieHeader(proxied, 'shop_csrf'), /; Secure/);
    assert.match(String(proxied.headers['strict-transport-security']), /max-age=\d+/);
  });

  it('takes a browser’s form only with the page’s CSRF token', async () => {
    const browser = new Visitor(app);
    await browser.get('/');
    assert.ok(browser.csrfToken, 'the page carries a token');
    const refused = await browser.post('/setCurrency', { currency_code: 'EUR' }, { withToken: false });
    assert.equal(refused.statusCode, 403);
    assert.match(refused.body, /without its security token/);
    assert.equal(browser.cookies.get('shop_currency'), undefined);
    const forged = await browser.post(
      '/setCurrency',
      { currency_code: 'EUR', _csrf: 'x'.repeat(40) },
      {
        withToken: false,
      },
    );
    assert.equal(forged.statusCode, 403);
    const accepted = await browser.post('/setCurrency', { currency_code: 'EUR' });
    assert.equal(accepted.statusCode, 302);
    assert.equal(browser.cookies.get('shop_currency'), 'EUR');
    // Another visitor's token is not this one's: the tokens derive from a per-visitor secret.
    const other = new Visitor(app);
    await other.get('/');
    other.csrfToken = browser.csrfToken;
    assert.equal((await other.post('/cart', { product_id: 'OLJCESPC7Z', quantity: '1' })).statusCode, 403);
  });

  it('keeps Online Boutique’s scripts working: posts with only the session cookie and no browser headers', async () => {
    const cookies = { 'shop_session-id': randomUUID() };
    const post = (url: string, payload: string) =>
      app.inject({ method: 'POST', url, cookies, headers: FORM, payload });
    assert.equal((await post('/setCurrency', 'currency_code=EUR')).statusCode, 302);
    assert.equal((await post('/cart', 'product_id=OLJCESPC7Z&quantity=1')).statusCode, 302);
    assert.equal((await post('/cart/empty', '')).statusCode, 302);
    assert.equal((await app.inject({ url: '/logout', cookies })).statusCode, 302);
    assert.equal((await post('/logout', '')).statusCode, 303);
  });

  it('needs the token on the sign-in and sign-up forms even from scripts', async () => {
    const script = new Visitor(app, { browser: false });
    const fields = { email: 'someone@example.com', password: 'a long password' };
    assert.equal((await script.post('/login', fields, { withToken: false })).statusCode, 403);
    assert.equal(
      (await script.post('/signup', { ...fields, name: 'Someone' }, { withToken: false })).statusCode,
      403,
    );
  });

  it('limits sign-in attempts per client address with a clear 429 page', async () => {
    const attacker = new Visitor(app, { remoteAddress: '203.0.113.7' });
    await attacker.get('/login');
    const statuses: number[] = [];
    let last = '';
    for (let i = 0; i < 4; i++) {
      const response = await attacker.post('/login', { email: 'nobody@example.com', password: `guess-${i}` });
      statuses.push(response.statusCode);
      last = response.body;
      if (response.statusCode === 429) assert.match(String(response.headers['retry-after']), /^\d+$/);
    }
    assert.deepEqual(statuses, [401, 401, 401, 429]);
    assert.match(last, /Too many attempts from your address\. Please wait \d+ seconds/);
    const neighbour = new Visitor(app, { remoteAddress: '198.51.100.8' });
    await neighbour.get('/login');
    const theirs = await neighbour.post('/login', { email: 'nobody@example.com', password: 'guess' });
    assert.equal(theirs.statusCode, 401, 'another address is not limited');
  });

  it('limits checkouts per client address', async () => {
    const cookies = { 'shop_session-id': randomUUID() };
    const checkout = () =>
      app.inject({
        method: 'POST',
        url: '/cart/checkout',
        cookies,
        headers: FORM,
        payload: 'email=x',
        remoteAddress: '192.0.2.44',
      });
    const statuses = [
      (await checkout()).statusCode,
      (await checkout()).statusCode,
      (await checkout()).statusCode,
    ];
    assert.deepEqual(statuses, [400, 400, 429]);
  });
});
