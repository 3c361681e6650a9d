import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import fc from 'fast-check';
import { createFrontend, readFrontendConfig } from '@glasshouse/frontend';
import {
  FixedFeatureFlags,
  SCENARIO_NAMES,
  ServiceMetrics,
  createLogger,
  envReader,
  markdownTable,
} from '@glasshouse/kit';
import type { FormFields, GeneratedBody, InProcessShop } from '@glasshouse/testing';
import {
  DEMO_ADDRESS,
  checkoutErrorOf,
  hostileQuery,
  hostileHeaderText,
  hostileText,
  oneFieldBroken,
  startInProcessShop,
  testClock,
  testIdTexts,
  wholeBodyGarbage,
} from '@glasshouse/testing';

/** Generated requests per route taking a form, and per route taking none (query, cookies, path). */
const RUNS_PER_FORM_ROUTE = 60;
const RUNS_PER_OTHER_ROUTE = 20;
const ADMIN_TOKEN = `property-admin-${randomUUID()}`;
const TERRARIUM = 'OLJCESPC7Z';
const FORM = 'application/x-www-form-urlencoded';

const CHECKOUT: FormFields = {
  email: { valid: 'someone@example.com', names: ['email'] },
  street_address: { valid: DEMO_ADDRESS.street_address, names: ['street address', 'street_address'] },
  zip_code: { valid: DEMO_ADDRESS.zip_code, names: ['zip code', 'zip_code'] },
  city: { valid: DEMO_ADDRESS.city, names: ['city'] },
  state: { valid: DEMO_ADDRESS.state, names: ['state'], optional: true },
  country: { valid: DEMO_ADDRESS.country, names: ['country'] },
  credit_card_number: { valid: '4432801561520454', names: ['card number', 'credit_card_number'] },
  credit_card_expiration_month: { valid: '1', names: ['expiration month', 'credit_card_expiration_month'] },
  credit_card_expiration_year: { valid: '2030', names: ['expiration year', 'credit_card_expiration_year'] },
  credit_card_cvv: { valid: '672', names: ['cvv', 'credit_card_cvv'] },
  idempotency_key: { valid: randomUUID(), names: ['idempotency_key'], optional: true },
};

/**
 * What each route of the frontend reads. The routes themselves come from the app (printRoutes),
 * and a route missing here fails the spec: a new form is fuzzed from the day it exists.
 */
interface RouteInput {
  /** The form fields of a POST, with a valid value each. */
  readonly form?: FormFields;
  /** A path parameter and the value it is filled with when valid. */
  readonly param?: { readonly name: string; readonly valid: string; readonly names?: readonly string[] };
  /** Sends the admin token (as a Bearer header) in some cases, so checks behind it are reached. */
  readonly admin?: boolean;
  /** The shopper has something in the cart, so a form that passes reaches PlaceOrder. */
  readonly filledCart?: boolean;
  /** Counterexamples found before (body, path parameter), run first every time. */
  readonly regressions?: readonly (readonly [GeneratedBody, string])[];
}
const ROUTES: Readonly<Record<string, RouteInput>> = {
  'GET /': {},
  'GET /cart': {},
  'POST /cart': {
    form: {
      product_id: { valid: TERRARIUM, names: ['product_id'] },
      quantity: { valid: '1', names: ['quantity'], optional: true },
    },
  },
  'POST /cart/empty': { form: {} },
  'POST /cart/checkout': { form: CHECKOUT, filledCart: true },
  'POST /setCurrency': { form: { currency_code: { valid: 'EUR', names: ['currency_code', 'currency'] } } },
  'GET /product/:id': { param: { name: 'id', valid: TERRARIUM } },
  'GET /orders': {},
  // Accounts.
  'GET /signup': {},
  'POST /signup': {
    form: {
      name: { valid: 'Ada Lovelace', names: ['name'] },
      email: { valid: `ada-${randomUUID()}@example.com`, names: ['email'] },
      password: { valid: 'correct horse battery staple', names: ['password'] },
    },
  },
  'GET /login': {},
  'POST /login': {
    form: {
      email: { valid: 'nobody@example.com', names: ['email'] },
      password: { valid: 'correct horse battery staple', names: ['password'] },
      next: { valid: '/orders', names: ['next'], optional: true },
    },
  },
  'GET /logout': {},
  'POST /logout': { form: {} },
  // Admin pages and APIs: the bootstrap admin token as a Bearer header in half the cases.
  'GET /admin': { admin: true },
  'GET /admin/login': {},
  'POST /admin/flags/:scenario': {
    admin: true,
    param: { name: 'scenario', valid: SCENARIO_NAMES[0] ?? 'x', names: ['scenario'] },
    form: { on: { valid: 'true', names: ['on'], optional: true } },
    regressions: [
      // Was 200, switching the scenario off: `on` sent twice read as "not true".
      [{ contentType: FORM, payload: 'on=true&on=', broken: 'on', how: 'repeated' }, 'payment-failure'],
    ],
  },
  'GET /api/admin/flags': { admin: true },
  'GET /admin/audit': { admin: true },
  'GET /api/admin/audit': { admin: true },
  'GET /admin/tokens': { admin: true },
  'POST /admin/tokens': { admin: true, form: { label: { valid: 'deploy script', names: ['label'] } } },
  'POST /admin/tokens/:id/revoke': {
    admin: true,
    param: { name: 'id', valid: randomUUID(), names: ['token', 'id'] },
    form: {},
  },
  'GET /admin/orders': { admin: true },
  'POST /admin/orders/:orderId/refunds': {
    admin: true,
    param: { name: 'orderId', valid: randomUUID(), names: ['order id', 'order_id'] },
    form: {
      whole: { valid: 'true', names: ['whole', 'item'], optional: true },
      refund_id: { valid: randomUUID(), names: ['refund_id', 'refund id'], optional: true },
      reason: { valid: 'customer asked', names: ['reason'], optional: true },
    },
  },
  'GET /api/admin/orders/:orderId': {
    admin: true,
    param: { name: 'orderId', valid: randomUUID(), names: ['order id', 'order_id'] },
  },
  'POST /api/admin/orders/:orderId/refunds': {
    admin: true,
    param: { name: 'orderId', valid: randomUUID(), names: ['order id', 'order_id'] },
    form: {},
  },
  // Browser telemetry (JSON checked against a schema): whole bodies only.
  'POST /rum/v1/traces': { form: {} },
  'POST /rum/v1/vitals': { form: {} },
  // Probes and static files: no input but the URL, fuzzed with query strings like the rest.
  'GET /_healthz': {},
  'GET /healthz': {},
  'GET /readyz': {},
  'GET /metrics': {},
  // @fastify/static's wildcard (printRoutes shows /static/* under the root).
  'GET /*': { param: { name: '*', valid: 'static/styles.css' } },
};

/** "POST /cart/empty" for every method and path the app serves (HEAD mirrors GET and is left out). */
function routesOf(app: FastifyInstance): string[] {
  const routes: string[] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^([│ ]*)[└├]── (.*?) \(([^)]*)\)$/.exec(line) ?? /^([│ ]*)[└├]── (.*)$/.exec(line);
    if (!match) continue;
    const depth = (match[1] ?? '').length / 4;
    stack.length = depth;
    stack.push(match[2] ?? '');
    const path = stack.join('').replace(/\/\/+/g, '/');
    for (const method of (match[3] ?? '').split(',').map((m) => m.trim()))
      if (method && method !== 'HEAD') routes.push(`${method} ${path}`);
  }
  return routes;
}

/** What a refusal says: the JSON error, else the page's alert or error message, else its text. */
function refusalText(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object' && 'error' in parsed)
      return 'message' in parsed
        ? `${String(parsed.error)}: ${String(parsed.message)}`
        : String(parsed.error);
  } catch {
    // a page, not JSON
  }
  const text = (html: string) =>
    html
      .replace(/<[^>]*>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
  const alerts = [
    ...body.matchAll(
      /(?:role="alert"|data-testid="(?:error-message|checkout-error|account-error)")[^>]*>([\s\S]*?)<\/(?:p|div)>/g,
    ),
  ].map((m) => text(m[1] ?? ''));
  return (
    alerts.join(' ') || checkoutErrorOf(body) || testIdTexts(body, 'error-message').join(' ') || text(body)
  );
}

/** Every byte of the UTF-8 form percent-encoded (a lone surrogate becomes U+FFFD, as on the wire). */
const percentEncoded = (text: string): string =>
  [...Buffer.from(text, 'utf8')].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');

/** One case of the route property: body, path parameter, query, cookies, Bearer token. */
type Example = [GeneratedBody | undefined, string, string, [string, string] | undefined, string | undefined];

/** Cases run per route, by kind of input and answer class. */
const tally = new Map<string, Map<string, number>>();
const count = (route: string, answer: string) => {
  const row = tally.get(route) ?? new Map<string, number>();
  row.set(answer, (row.get(answer) ?? 0) + 1);
  tally.set(route, row);
};

describe('every route of the frontend with generated malformed input', () => {
  const metrics = new ServiceMetrics({ defaultMetrics: false });
  const logger = createLogger({ serviceName: 'frontend', level: 'silent' });
  const folder = mkdtempSync(join(tmpdir(), 'property-http-'));
  const flagsFile = join(folder, 'flags.json');
  const auditFile = join(folder, 'audit.log');
  let shop: InProcessShop;
  let app: FastifyInstance;

  before(async () => {
    shop = await startInProcessShop({
      now: testClock,
      logLevel: 'warn',
      env: { GLASSHOUSE_ADMIN_TOKEN: ADMIN_TOKEN },
    });
    app = createFrontend(
      // The config as main.ts reads it, with the admin page on over files of this test.
      readFrontendConfig(
        envReader({
          FLAGS_FILE: flagsFile,
          FLAGS_AUDIT_FILE: auditFile,
          GLASSHOUSE_ADMIN_TOKEN: ADMIN_TOKEN,
          // Generated sign-ins must reach the form's checks, not the limit (429 is tested elsewhere).
          SIGNIN_RATE_LIMIT: '100000',
        }),
      ),
      {
        logger,
        metrics,
        client: shop.dial(metrics),
        flags: new FixedFeatureFlags(),
        addReadinessCheck: () => undefined,
        onShutdown: () => undefined,
      },
    );
    await app.ready();
  });

  after(async () => {
    const rows = [...tally].map(([route, answers]) => [
      route,
      String([...answers.values()].reduce((a, b) => a + b, 0)),
      [...answers].map(([answer, n]) => `${answer} ${n}`).join(', '),
    ]);
    console.log(['HTTP property cases:', ...markdownTable(['route', 'cases', 'answers'], rows)].join('\n'));
    await app?.close();
    await shop?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  /** What a refused request must leave as it was: the shopper's cart and orders, charges, flags. */
  const written = async (userId: string) => {
    const read = (file: string) => {
      try {
        return readFileSync(file, 'utf8');
      } catch {
        return '';
      }
    };
    const [cart, orders] = await Promise.all([
      shop.clients.cart.getCart({ userId }),
      shop.clients.orders.listOrders({ userId, limit: 50 }),
    ]);
    return JSON.stringify({
      cart: cart.items,
      orders: orders.orders.map((o) => o.orderId),
      charges: shop.ledger.size,
      flags: read(flagsFile),
      audit: read(auditFile),
    });
  };

  it('knows the input of every route the app serves', () => {
    const served = routesOf(app);
    assert.ok(served.includes('POST /cart/checkout'), `routes not read from the app: ${served.join(', ')}`);
    const unknown = served.filter((route) => !(route in ROUTES));
    assert.deepEqual(unknown, [], 'routes with no input model in ROUTES (add them, with their fields)');
    const gone = Object.keys(ROUTES).filter((route) => !served.includes(route));
    assert.deepEqual(gone, [], 'ROUTES names routes the app no longer serves');
  });

  for (const [route, input] of Object.entries(ROUTES)) {
    const [method = 'GET', path = '/'] = route.split(' ');
    it(`${route}: never a 5xx, a 400 names the field, nothing written on refusal`, async () => {
      const body: fc.Arbitrary<GeneratedBody | undefined> = input.form
        ? fc.oneof(
            { weight: 3, arbitrary: oneFieldBroken(input.form) },
            { weight: 1, arbitrary: wholeBodyGarbage() },
          )
        : fc.constant(undefined);
      // Path segments as sent on the wire: percent-encoded UTF-8, or broken percent-encoding.
      const param = input.param
        ? fc.oneof(
            { weight: 1, arbitrary: fc.constant(input.param.valid) },
            { weight: 3, arbitrary: hostileText([300, 5000]).map(percentEncoded) },
            { weight: 1, arbitrary: fc.constantFrom('%ED%A0%80', '%FF', '%', '%00', '%2e%2e%2f', '..') },
          )
        : fc.constant('');
      const cookies = fc.oneof(
        { weight: 3, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: fc.tuple(hostileHeaderText(), hostileHeaderText()) },
      );
      const runs = input.form ? RUNS_PER_FORM_ROUTE : RUNS_PER_OTHER_ROUTE;
      await fc.assert(
        fc.asyncProperty(
          body,
          param,
          hostileQuery(),
          cookies,
          // The admin token, a hostile one (auth calls some malformed), or none.
          fc.oneof(fc.constant(ADMIN_TOKEN), hostileHeaderText(), fc.constant(undefined)),
          async (generated, value, query, jar, bearer) => {
            const userId = randomUUID();
            const url =
              (input.param
                ? path.replace(input.param.name === '*' ? '*' : `:${input.param.name}`, value)
                : path) + (query ? `?${query}` : '');
            const headers: Record<string, string> = {};
            if (generated?.contentType) headers['content-type'] = generated.contentType;
            if (input.admin && bearer !== undefined) headers.authorization = `Bearer ${bearer}`;
            if (input.filledCart)
              await shop.clients.cart.addItem({ userId, item: { productId: TERRARIUM, quantity: 1 } });
            const before = await written(userId);
            const answer = await app.inject({
              method: method as 'GET' | 'POST',
              url,
              headers,
              cookies: {
                'shop_session-id': jar?.[0] ?? userId,
                // The account session (checked by auth) and the CSRF secret take hostile values too.
                ...(jar ? { shop_currency: jar[1], shop_account: jar[1], shop_csrf: jar[0] } : {}),
              },
              ...(generated ? { payload: generated.payload } : {}),
            });
            const kind =
              generated?.how ?? (value && value !== input.param?.valid ? 'hostile param' : 'query/cookies');
            count(route, `${kind} ${Math.floor(answer.statusCode / 100)}xx`);
            const seen = `${answer.statusCode} for ${kind} ${url.slice(0, 80)} ${String(generated?.payload ?? '').slice(0, 120)}`;
            assert.ok(answer.statusCode < 500, `${seen}: ${answer.body.slice(0, 300)}`);
            // A field sent twice, or a required one left out, is never taken as if it were fine.
            const broken = generated?.broken ? input.form?.[generated.broken] : undefined;
            const malformed =
              generated?.how === 'repeated' ||
              (generated?.how.startsWith('missing') && broken?.optional !== true);
            if (malformed) assert.ok(answer.statusCode >= 400, `${seen}: accepted`);
            if (answer.statusCode < 400) return;
            if (answer.statusCode === 400 && generated?.broken) {
              const field = input.form?.[generated.broken];
              const message = refusalText(answer.body).toLowerCase();
              // A hostile path segment may be what is refused: by name, or as a bad URL.
              const hostileParam = value !== input.param?.valid ? [...(input.param?.names ?? []), 'url'] : [];
              const names = [...(field?.names ?? []), ...hostileParam];
              assert.ok(
                names.some((name) => message.includes(name)),
                `${seen}: the 400 names no field ${generated.broken}: "${message.slice(0, 200)}"`,
              );
            }
            assert.equal(await written(userId), before, `${seen}: written on refusal`);
          },
        ),
        {
          numRuns: runs,
          includeErrorInReport: true,
          examples: [
            ...(input.regressions ?? []).map(([body, value]): Example => [
              body,
              value,
              '',
              undefined,
              ADMIN_TOKEN,
            ]),
            // Was 503 on every page: auth calls an 8,000-character account cookie malformed.
            [undefined, input.param?.valid ?? '', '', ['', 'x'.repeat(8000)], undefined] satisfies Example,
            [undefined, input.param?.valid ?? '', '', undefined, 'x'.repeat(8000)] satisfies Example,
          ],
        },
      );
      // Still serving: a probe and a real add to the cart.
      assert.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
      const cookie = { 'shop_session-id': randomUUID() };
      const added = await app.inject({
        method: 'POST',
        url: '/cart',
        cookies: cookie,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: `product_id=${TERRARIUM}&quantity=1`,
      });
      assert.equal(added.statusCode, 302, `the shop stopped taking orders after ${route}`);
    });
  }
});
