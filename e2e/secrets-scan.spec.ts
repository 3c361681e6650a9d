import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { findCardNumbers } from '@glasshouse/kit';
import { OtlpReceiver, waitFor } from '@glasshouse/kit/testing';
import type { ProcessShop } from '@glasshouse/testing';
import { startProcessShop } from '@glasshouse/testing';
import type { CardFields } from '@glasshouse/testing';
import { DEMO_ADDRESS, WebShopper, requestIdOf } from '@glasshouse/testing';

const NEXT_YEAR = new Date().getUTCFullYear() + 2;
const LAST_YEAR = new Date().getUTCFullYear() - 1;
const EMAIL = 'leak.watch+glasshouse@example.org';
/** An account's password, a wrong guess at it, and the deployment's bootstrap (admin) token. */
const PASSWORD = 'Quartz-Heron-5471-lantern';
const WRONG_PASSWORD = 'Quartz-Heron-5471-lentern';
const BOOTSTRAP_TOKEN = randomBytes(32).toString('hex');
/** The account's session token, as the shop set it in its cookie; known once signed in. */
const sessionTokens: string[] = [];

/** Test cards as a shopper types them; CVVs chosen to be rare in any other text. */
const CARDS: readonly (CardFields & { outcome: 200 | 400 })[] = [
  { number: '4111 1111 1111 1111', cvv: '731', month: 3, year: NEXT_YEAR, outcome: 200 },
  { number: '5555-5555-5555-4444', cvv: '4829', month: 7, year: NEXT_YEAR, outcome: 200 },
  { number: '2223003122003222', cvv: '618', month: 12, year: NEXT_YEAR, outcome: 200 },
  { number: '4012888888881881', cvv: '907', month: 5, year: NEXT_YEAR, outcome: 200 },
  // Refused by payment after it has read the number: expired, and a wrong Luhn digit.
  { number: '5105105105105100', cvv: '846', month: 1, year: LAST_YEAR, outcome: 400 },
  { number: '4532015112830367', cvv: '593', month: 9, year: NEXT_YEAR, outcome: 400 },
];

const digitsOf = (number: string): string => number.replace(/[ -]/g, '');
const grouped = (digits: string, separator: string): string =>
  digits.replace(/(\d{4})(?=\d)/g, `$1${separator}`);

/** Every way a card number of ours could show up in a text. */
const CARD_FORMS = CARDS.flatMap(({ number }) => {
  const digits = digitsOf(number);
  return [digits, grouped(digits, ' '), grouped(digits, '-')];
});

/**
 * Trace and span ids are hex and timestamps are long digit runs: neither is a card, but either
 * can look like one to a Luhn scan (a random span id is all digits and Luhn-valid about once in
 * 20,000). Ids in their own fields (JSON, exemplars), other hex ids with at least one letter,
 * and OTLP's nanosecond times are taken out before the scan; an all-digit run anywhere else
 * still counts.
 */
function withoutIdentifiers(text: string): string {
  return text
    .replace(/("(?:traceId|spanId|parentSpanId|trace_id|span_id)":\s*")[0-9a-fA-F]+"/g, '$1<id>"')
    .replace(/\b((?:trace_id|span_id)=")[0-9a-f]+"/g, '$1<id>"')
    .replace(/\b(?=[0-9a-f]*[a-f])(?:[0-9a-f]{32}|[0-9a-f]{16})\b/g, '<id>')
    .replace(/"(\w*UnixNano)":\s*"?\d+"?/g, '"$1":0');
}

/** What in a text gives a secret away; empty when nothing does. */
function leaksIn(text: string): string[] {
  const found: string[] = [];
  for (const form of CARD_FORMS) if (text.includes(form)) found.push(`card number ${form}`);
  for (const secret of [PASSWORD, WRONG_PASSWORD, BOOTSTRAP_TOKEN, ...sessionTokens]) {
    for (const form of new Set([secret, encodeURIComponent(secret)]))
      if (text.includes(form)) found.push(`secret ${form.slice(0, 6)}…`);
  }
  for (const { cvv } of CARDS) {
    if (new RegExp(`cvv[^\\n,;{}]{0,16}?\\b${cvv}\\b`, 'i').test(text)) found.push(`cvv ${cvv}`);
  }
  for (const form of [EMAIL, encodeURIComponent(EMAIL)])
    if (text.toLowerCase().includes(form.toLowerCase())) found.push(`email ${form}`);
  for (const run of findCardNumbers(withoutIdentifiers(text))) found.push(`Luhn-valid run ${run}`);
  return found;
}

/**
 * A customer signs up, signs out, mistypes the password, signs in and orders; a script reads
 * the audit log with the bootstrap token. Each secret that crossed the shop is recorded above.
 */
async function useAccount(url: string): Promise<number[]> {
  const customer = new WebShopper(url);
  const answers: number[] = [];
  const account = { email: EMAIL, name: 'Leak Watch' };
  answers.push((await customer.submit('/signup', '/signup', { ...account, password: PASSWORD })).status);
  answers.push((await customer.submit('/', '/logout', {})).status);
  answers.push(
    (await customer.submit('/login', '/login', { email: EMAIL, password: WRONG_PASSWORD })).status,
  );
  answers.push((await customer.submit('/login', '/login', { email: EMAIL, password: PASSWORD })).status);
  const session = customer.cookie('shop_account');
  if (session) sessionTokens.push(session, decodeURIComponent(session));
  const card = CARDS[0] as CardFields;
  answers.push(
    (await customer.submit('/product/L9ECAV7KIM', '/cart', { product_id: 'L9ECAV7KIM', quantity: '1' }))
      .status,
  );
  answers.push(
    (
      await customer.submit('/cart', '/cart/checkout', {
        ...DEMO_ADDRESS,
        email: EMAIL,
        credit_card_number: card.number,
        credit_card_cvv: card.cvv,
        credit_card_expiration_month: String(card.month),
        credit_card_expiration_year: String(card.year),
        idempotency_key: randomUUID(),
      })
    ).status,
  );
  const audit = await fetch(new URL('/api/admin/audit', url), {
    headers: { authorization: `Bearer ${BOOTSTRAP_TOKEN}` },
    signal: AbortSignal.timeout(10_000),
  });
  answers.push(audit.status);
  await audit.arrayBuffer();
  return answers;
}

/**
 * After real checkouts with real test cards through every service as its own process, and a
 * customer's sign-up, sign-in and order, nothing that leaves a process (log lines, exported
 * spans, metrics) may carry a card number, a CVV, the shopper's email, a password, a session
 * token or the admin token in clear.
 */
describe('secrets never leave a process', () => {
  const receiver = new OtlpReceiver();
  let shop: ProcessShop;
  const expositions: { service: string; text: string }[] = [];
  const answers: number[] = [];
  let accountAnswers: number[] = [];

  before(async () => {
    shop = await startProcessShop({
      otlpEndpoint: await receiver.start(),
      logLevel: 'debug',
      env: { GLASSHOUSE_ADMIN_TOKEN: BOOTSTRAP_TOKEN },
    });
    try {
      let lastTrace = '';
      for (const card of CARDS) {
        const shopper = new WebShopper(shop.url);
        await shopper.addToCart('L9ECAV7KIM', 1);
        await shopper.addToCart('1YMWWN1N4O', 2);
        const answer = await shopper.checkout(card, EMAIL);
        answers.push(answer.status);
        lastTrace = requestIdOf(answer.html) ?? lastTrace;
        await shopper.get('/orders');
      }
      accountAnswers = await useAccount(shop.url);
      // The last checkout's payment span is in: every earlier batch has been exported too.
      await waitFor(
        () => receiver.trace(lastTrace).some((s) => s.serviceName === 'payment' && s.kind === 2),
        { what: "the last checkout's payment span", timeoutMs: 15_000 },
      );
      for (const process of shop.processes()) {
        const admin = shop.admin[process.name as keyof ProcessShop['admin']] ?? '';
        const response = await fetch(`${admin}/metrics`, { signal: AbortSignal.timeout(5_000) });
        expositions.push({ service: process.name, text: await response.text() });
      }
    } finally {
      // Stopping flushes every span still buffered and writes the shutdown logs, so all is scanned.
      await shop.stop();
      await receiver.stop();
    }
  });

  after(async () => {
    await shop?.stop();
  });

  it('placed the orders it meant to place and refused the others', () => {
    assert.deepEqual(
      answers,
      CARDS.map((c) => c.outcome),
    );
  });

  it('signed the customer up and in, refused the wrong password, and let the token read the audit log', () => {
    // sign-up, sign-out and sign-in redirect (303), the wrong password is a 401 page; the cart
    // redirects (302), the order confirmation and the audit log are pages (200).
    assert.deepEqual(accountAnswers, [303, 303, 401, 303, 302, 200, 200]);
    assert.ok(sessionTokens.length > 0, 'the shop set the account cookie');
  });

  it('writes no secret into any log line of any service', () => {
    const lines = shop.allLines();
    assert.ok(lines.length > 100, `a real amount of logging (${lines.length} lines)`);
    const masked = EMAIL.replace(/^(.)[^@]*/, '$1***');
    assert.ok(
      lines.some(({ line }) => line.includes(masked)),
      'the masked email is logged somewhere, so the scan saw the checkout paths',
    );
    const leaks = lines.flatMap(({ name, line }) =>
      leaksIn(line).map((leak) => `${name}: ${leak} in ${line}`),
    );
    assert.deepEqual(leaks, []);
    // The logger scrubs card-like numbers from finished lines as a last net; it should never have to.
    const scrubbed = lines.filter(({ line }) => line.includes('[card]'));
    assert.deepEqual(scrubbed, [], 'no card number even reached a logger');
  });

  it('exports no secret in any span', () => {
    assert.ok(receiver.bodies.length > 0);
    const services = new Set(receiver.spans.map((s) => s.serviceName));
    for (const name of ['frontend', 'checkout', 'payment', 'email', 'orders'])
      assert.ok(services.has(name), `spans from ${name}`);
    const leaks = receiver.bodies.flatMap((body) => leaksIn(body));
    assert.deepEqual(leaks, []);
  });

  it('exposes no secret in any /metrics', () => {
    assert.equal(expositions.length, shop.processes().length);
    assert.ok(
      expositions.some((e) => e.service === 'payment' && /^payments_total\{/m.test(e.text)),
      'payment counted the charges',
    );
    const leaks = expositions.flatMap(({ service, text }) =>
      leaksIn(text).map((leak) => `${service}: ${leak}`),
    );
    assert.deepEqual(leaks, []);
  });
});
