import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { ServiceMetrics, createLogger, passesLuhn as kitPassesLuhn } from '@glasshouse/kit';
import { SHOP_SERVICES, dialer, shopClients } from '@glasshouse/testing';
import { loadRates } from '../../currency/src/rates.js';
import { buildFrontend } from '../../frontend/src/app.js';
import { readCheckoutForm } from '../../frontend/src/forms.js';
import { examineCard } from '../../payment/src/card.js';
import { SEED_PRODUCTS } from '../../productcatalog/src/seed-products.js';
import type { JourneyName, PlannedRequest } from './journeys.js';
import {
  CURRENCIES,
  JOURNEYS,
  PRODUCT_IDS,
  cardNumber,
  checkoutResult,
  chooseValues,
  followUp,
  meanStepsPerJourney,
  passesLuhn,
  pickJourney,
  planJourney,
  seededRandom,
} from './journeys.js';

const YEAR = 2026;
const TODAY = { year: YEAR, month: 6 };
const checkout = JOURNEYS.find((j) => j.name === 'checkout');

/** Online Boutique's load generator, plus our order history. */
const WEIGHTS: Record<JourneyName, number> = {
  index: 1,
  setCurrency: 2,
  browseProduct: 10,
  addToCart: 2,
  viewCart: 3,
  checkout: 1,
  orderHistory: 1,
};

/** The frontend's form fields, as the API document lists them for Online Boutique. */
const ONLINE_BOUTIQUE_FORMS: Record<string, readonly string[]> = {
  'POST /cart': ['product_id', 'quantity'],
  'POST /setCurrency': ['currency_code'],
  'POST /cart/empty': [],
  'POST /cart/checkout': [
    'email',
    'street_address',
    'zip_code',
    'city',
    'state',
    'country',
    'credit_card_number',
    'credit_card_expiration_month',
    'credit_card_expiration_year',
    'credit_card_cvv',
  ],
};

function checkoutPlans(count: number, invalidRate: number, seed = 7): PlannedRequest[] {
  assert.ok(checkout);
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => {
    const order = planJourney(checkout, random, { invalidRate, year: YEAR }).requests.at(-1);
    assert.ok(order?.placesOrder);
    return order;
  });
}

describe('the journey table', () => {
  it("keeps Online Boutique's weights, plus order history", () => {
    assert.deepEqual(Object.fromEntries(JOURNEYS.map((j) => [j.name, j.weight])), WEIGHTS);
    assert.equal(
      JOURNEYS.reduce((sum, j) => sum + j.weight, 0),
      20,
    );
    assert.equal(meanStepsPerJourney(JOURNEYS), 24 / 20);
  });

  it('picks journeys in proportion to their weights', () => {
    const random = seededRandom(42);
    const picks = new Map<string, number>();
    const draws = 20_000;
    for (let i = 0; i < draws; i++) {
      const name = pickJourney(JOURNEYS, random).name;
      picks.set(name, (picks.get(name) ?? 0) + 1);
    }
    for (const [name, weight] of Object.entries(WEIGHTS)) {
      const share = (picks.get(name) ?? 0) / draws;
      assert.ok(Math.abs(share - weight / 20) < 0.01, `${name}: ${share} vs ${weight / 20}`);
    }
  });

  it('holds the twenty products of the catalogue seed and the currencies of the rates file', async () => {
    assert.deepEqual(
      [...PRODUCT_IDS],
      SEED_PRODUCTS.map((p) => p.id),
    );
    const rates = await loadRates();
    for (const code of CURRENCIES) assert.ok(rates.has(code), `${code} is in the rates file`);
    assert.deepEqual([...CURRENCIES], ['EUR', 'USD', 'JPY', 'CAD', 'GBP', 'TRY']);
  });

  it('plans the same journeys from the same seed, and shares one product across a journey', () => {
    assert.ok(checkout);
    const plan = (seed: number) =>
      planJourney(checkout, seededRandom(seed), { invalidRate: 0.5, year: YEAR });
    assert.deepEqual(plan(3), plan(3));
    assert.notDeepEqual(plan(3), plan(4));
    const [view, add, order] = plan(3).requests;
    assert.equal(view?.path, `/product/${add?.form?.product_id}`);
    assert.equal(order?.route, '/cart/checkout');
  });
});

describe('journeys against the frontend', () => {
  const metrics = new ServiceMetrics({ defaultMetrics: false });
  const opened: { close(): void }[] = [];
  let app: FastifyInstance;

  before(async () => {
    // Clients of nothing: building the app calls no backend, and routes are all this test reads.
    const addresses = Object.fromEntries(SHOP_SERVICES.map((name) => [name, '127.0.0.1:1']));
    const backends = shopClients(dialer({ addresses, metrics, deadlineMs: 100, opened }));
    const logger = createLogger({ serviceName: 'frontend', level: 'silent' });
    app = buildFrontend({ backends, logger, metrics });
    await app.ready();
  });

  after(async () => {
    await app.close();
    for (const client of opened) client.close();
  });

  it("sends every step to a route of the frontend, with Online Boutique's form fields", () => {
    const random = seededRandom(1);
    const requests = JOURNEYS.flatMap((j) => planJourney(j, random, { invalidRate: 0, year: YEAR }).requests);
    const emptying = followUp(checkoutPlans(1, 0)[0] as PlannedRequest, 409);
    assert.ok(emptying);
    for (const request of [...requests, emptying]) {
      const url = request.route.replace(/\{(\w+)\}/g, ':$1');
      assert.ok(app.hasRoute({ method: request.method, url }), `${request.method} ${url} is a route`);
      if (request.method === 'POST') {
        const expected = ONLINE_BOUTIQUE_FORMS[`POST ${request.route}`];
        assert.deepEqual(Object.keys(request.form ?? {}), expected, `fields of POST ${request.route}`);
      } else {
        assert.equal(request.form, undefined);
      }
    }
  });
});

describe('what shoppers type', () => {
  it('makes 16-digit VISA and MasterCard numbers that pass the Luhn check', () => {
    const random = seededRandom(9);
    const networks = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const number = cardNumber(random);
      assert.match(number, /^\d{16}$/);
      assert.ok(passesLuhn(number) && kitPassesLuhn(number), `${number} passes Luhn`);
      const verdict = examineCard(
        {
          creditCardNumber: number,
          creditCardCvv: 123,
          creditCardExpirationMonth: 1,
          creditCardExpirationYear: YEAR + 1,
        },
        TODAY,
      );
      assert.equal(verdict.problem, undefined, number);
      networks.add(verdict.method);
    }
    assert.deepEqual([...networks].sort(), ['mastercard', 'visa']);
  });

  it('fills valid checkouts that the frontend reads and the payment service accepts', () => {
    for (const order of checkoutPlans(500, 0)) {
      assert.equal(order.invalid, undefined);
      assert.deepEqual(order.expected, [200, 409]);
      const form = readCheckoutForm(order.form ?? {});
      assert.match(form.email, /@example\.(com|org|net)$/);
      assert.ok(form.address.city && form.address.zipCode > 0);
      assert.equal(examineCard(form.card, TODAY).problem, undefined);
    }
  });

  it('makes each kind of invalid checkout one the shop refuses with 400', () => {
    const seen = new Set<string>();
    for (const order of checkoutPlans(300, 1)) {
      assert.ok(order.invalid);
      seen.add(order.invalid);
      assert.deepEqual(order.expected, [400, 409]);
      if (order.invalid === 'empty_city') {
        assert.throws(() => readCheckoutForm(order.form ?? {}), /city/);
        continue;
      }
      const problem = examineCard(readCheckoutForm(order.form ?? {}).card, TODAY).problem;
      assert.match(problem ?? '', order.invalid === 'bad_luhn' ? /Luhn/ : /expired/);
    }
    assert.deepEqual([...seen].sort(), ['bad_luhn', 'empty_city', 'expired_card']);
  });

  for (const rate of [0.02, 0.25]) {
    it(`makes about ${rate * 100}% of checkouts invalid when asked to`, () => {
      const orders = checkoutPlans(20_000, rate, 11);
      const share = orders.filter((o) => o.invalid).length / orders.length;
      assert.ok(Math.abs(share - rate) < rate * 0.15 + 0.002, `share ${share}`);
    });
  }

  it('uses no random number but the one given', () => {
    const values = chooseValues(() => 0, { invalidRate: 0, year: YEAR }).values;
    assert.equal(values.product_id, PRODUCT_IDS[0]);
    assert.equal(values.currency_code, 'EUR');
    assert.equal(values.credit_card_expiration_year, String(YEAR + 1));
  });
});

describe('what an answer to an order means', () => {
  const [valid] = checkoutPlans(1, 0);
  const [invalid] = checkoutPlans(1, 1);

  it('counts refused bad data as declined, a stock refusal as out of stock, the rest as failed', () => {
    assert.ok(valid && invalid);
    assert.equal(checkoutResult(valid, 200), 'placed');
    assert.equal(checkoutResult(invalid, 400), 'declined');
    assert.equal(checkoutResult(valid, 409), 'out_of_stock');
    assert.equal(checkoutResult(valid, 400), 'failed');
    assert.equal(checkoutResult(valid, 503), 'failed');
    assert.equal(checkoutResult(valid, undefined), 'failed');
  });

  it('empties the cart after a refusal for stock, and only then', () => {
    assert.ok(valid);
    assert.equal(followUp(valid, 200), undefined);
    assert.equal(followUp(valid, 400), undefined);
    const emptying = followUp(valid, 409);
    assert.equal(emptying?.method, 'POST');
    assert.equal(emptying?.path, '/cart/empty');
    assert.equal(emptying?.journey, 'checkout');
    assert.deepEqual(emptying?.expected, [200]);
  });
});
