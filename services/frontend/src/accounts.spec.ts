import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Backends } from './backends.js';
import { ServiceMetrics, createLogger } from '@glasshouse/kit';
import type { InProcessShop } from '@glasshouse/testing';
import { backendsFor, startInProcessShop, testClock } from '@glasshouse/testing';
import { buildFrontend } from './app.js';
import { Visitor, setCookieHeader } from './spec-support.js';

const logger = createLogger({ serviceName: 'frontend-test', level: 'silent' });
const TERRARIUM = 'OLJCESPC7Z';
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

const orderIds = (html: string): string[] =>
  [...html.matchAll(/data-testid="order-id"[^>]*>([^<]*)</g)].map((m) => (m[1] ?? '').trim());

/** Sign-up, sign-in and sign-out against the real auth service; orders follow the account. */
describe('customer accounts in the shop', () => {
  let shop: InProcessShop;
  let app: FastifyInstance;
  let backends: Backends;
  const email = `ada-${randomUUID().slice(0, 8)}@example.com`;
  const password = 'correct horse battery';

  const signedUp = async (who = email, name = 'Ada Lovelace'): Promise<Visitor> => {
    const visitor = new Visitor(app);
    await visitor.get('/signup');
    const response = await visitor.post('/signup', { name, email: who, password });
    assert.equal(response.statusCode, 303, response.body.slice(0, 500));
    return visitor;
  };
  const signedIn = async (who = email): Promise<Visitor> => {
    const visitor = new Visitor(app);
    await visitor.get('/login');
    const response = await visitor.post('/login', { email: who, password });
    assert.equal(response.statusCode, 303, response.body.slice(0, 500));
    return visitor;
  };

  before(async () => {
    shop = await startInProcessShop({
      logLevel: 'warn',
      now: testClock,
      env: { AUTH_LOCKOUT_ACCOUNT_FAILURES: '3', AUTH_LOCKOUT_WINDOW_SECONDS: '600' },
    });
    backends = backendsFor(shop);
    app = buildFrontend({
      backends,
      logger,
      metrics: new ServiceMetrics({ defaultMetrics: false }),
      rateLimits: { signInPerMinute: 0, checkoutPerMinute: 0 },
    });
  });
  after(async () => {
    await app?.close();
    await shop?.stop();
  });

  it('shows “Sign in” to a guest, and the sign-in and sign-up forms with their fields', async () => {
    const guest = new Visitor(app);
    const home = await guest.get('/');
    assert.match(home.body, /<a class="nav-link" href="\/login" data-testid="account-link">Sign in<\/a>/);
    const login = await guest.get('/login');
    for (const field of ['email', 'password', '_csrf'])
      assert.match(login.body, new RegExp(`name="${field}"`));
    const signup = await guest.get('/signup');
    for (const field of ['name', 'email', 'password', '_csrf'])
      assert.match(signup.body, new RegExp(`name="${field}"`));
  });

  it('signs up, signs in at once, shows the name in the header, in a HttpOnly SameSite cookie', async () => {
    const visitor = new Visitor(app);
    await visitor.get('/signup');
    const response = await visitor.post('/signup', { name: 'Ada <Lovelace>', email, password });
    assert.equal(response.statusCode, 303);
    assert.equal(response.headers.location, '/');
    assert.match(setCookieHeader(response, 'shop_account'), /HttpOnly; SameSite=Lax/);
    const home = await visitor.get('/');
    assert.match(home.body, /data-testid="account-link">Ada &lt;Lovelace&gt;</);
    assert.match(home.body, /action="\/logout"/);
  });

  it('refuses bad input with a 400 page naming the field, and a taken email with 409', async () => {
    const visitor = new Visitor(app);
    await visitor.get('/signup');
    const cases: [Record<string, string>, number, RegExp][] = [
      [{ name: 'Bo', email: '', password }, 400, /The email field is empty/],
      [{ name: '', email: 'bo@example.com', password }, 400, /The name field is empty/],
      [{ name: 'Bo', email: 'bo@example.com', password: '' }, 400, /The password field is empty/],
      [{ name: 'Bo', email: 'not-an-email', password }, 400, /email/],
      [{ name: 'Bo', email: 'bo@example.com', password: 'short' }, 400, /password/],
      [{ name: 'Bo', email: 'x'.repeat(300) + '@example.com', password }, 400, /The email field is longer/],
      [{ name: 'Ada again', email, password }, 409, /already exists/],
    ];
    for (const [fields, statusCode, message] of cases) {
      const response = await visitor.post('/signup', fields);
      assert.equal(response.statusCode, statusCode, JSON.stringify(fields).slice(0, 80));
      assert.match(response.body, message);
      assert.match(response.body, /data-testid="account-error"/);
      assert.equal(visitor.cookies.get('shop_account'), undefined);
    }
    const login = await visitor.post('/login', { email: '', password });
    assert.equal(login.statusCode, 400);
    assert.match(login.body, /The email field is empty/);
  });

  it('keeps a guest’s cart when they sign in, and their orders follow the account to another device', async () => {
    const laptop = new Visitor(app);
    await laptop.get('/');
    assert.equal((await laptop.post('/cart', { product_id: TERRARIUM, quantity: '2' })).statusCode, 302);
    await laptop.get('/login');
    assert.equal((await laptop.post('/login', { email, password })).statusCode, 303);
    const cart = await laptop.get('/cart');
    assert.match(cart.body, /data-testid="cart-size">2</);
    const placed = await laptop.post('/cart/checkout', CHECKOUT);
    assert.equal(placed.statusCode, 200, placed.body.slice(-1500));
    const [orderId] = orderIds(placed.body);
    assert.ok(orderId);

    const phone = await signedIn();
    const history = await phone.get('/orders');
    assert.deepEqual(orderIds(history.body), [orderId]);
    const guestHistory = await new Visitor(app).get('/orders');
    assert.deepEqual(orderIds(guestHistory.body), [], 'a guest sees none of it');
  });

  it('keeps guest checkout as Online Boutique has it: the order belongs to the session id', async () => {
    const session = randomUUID();
    const form = (fields: Record<string, string>) => ({
      method: 'POST' as const,
      cookies: { 'shop_session-id': session },
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(fields).toString(),
    });
    assert.equal((await app.inject({ url: '/cart', ...form({ product_id: TERRARIUM }) })).statusCode, 302);
    const placed = await app.inject({ url: '/cart/checkout', ...form(CHECKOUT) });
    assert.equal(placed.statusCode, 200, placed.body.slice(-1500));
    const { orders } = await shop.clients.orders.listOrders({ userId: session, limit: 5 });
    assert.deepEqual(
      orders.map((o) => o.orderId),
      orderIds(placed.body),
    );
  });

  it('signs out: the session is revoked at auth, the cookie cleared, and “Sign in” is back', async () => {
    const visitor = await signedIn();
    const token = visitor.cookies.get('shop_account') ?? '';
    assert.ok(token);
    await visitor.get('/');
    const out = await visitor.post('/logout');
    assert.equal(out.statusCode, 303);
    assert.equal(visitor.cookies.get('shop_account'), undefined);
    await assert.rejects(backends.auth.verifyToken({ token }), /UNAUTHENTICATED|not valid|unknown/i);
    // The old cookie, replayed, is a guest's.
    const replayed = await app.inject({ url: '/', cookies: { shop_account: token } });
    assert.match(replayed.body, /data-testid="account-link">Sign in</);
  });

  it('refuses a wrong password with 401, and answers 429 with a clear page while the account is locked out', async () => {
    const victim = `grace-${randomUUID().slice(0, 8)}@example.com`;
    await signedUp(victim, 'Grace');
    const attacker = new Visitor(app, { remoteAddress: '203.0.113.50' });
    await attacker.get('/login');
    const statuses: number[] = [];
    let last = '';
    for (let i = 0; i < 4; i++) {
      const response = await attacker.post('/login', { email: victim, password: `wrong-${i}` });
      statuses.push(response.statusCode);
      last = response.body;
    }
    assert.deepEqual(statuses.slice(0, 3), [401, 401, 401]);
    assert.equal(statuses[3], 429);
    assert.match(last, /Too many failed sign-ins/);
    const owner = new Visitor(app);
    await owner.get('/login');
    const locked = await owner.post('/login', { email: victim, password });
    assert.equal(locked.statusCode, 429, 'the right password does not open a locked account');
    assert.equal(owner.cookies.get('shop_account'), undefined);
  });
});
