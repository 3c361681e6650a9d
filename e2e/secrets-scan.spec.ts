import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { findCardNumbers } from '@glasshouse/kit';
import { OtlpReceiver, waitFor } from '@glasshouse/kit/testing';
import type { ProcessShop } from './support/process-shop.js';
import { startProcessShop } from './support/process-shop.js';
import { WebShopper } from './support/web-shopper.js';

/** Cards used below: accepted VISA and MasterCard, an expired one, and one failing Luhn. */
const CARDS = [
  { number: '4432801561520454', cvv: '672', month: 1, year: 2039, placed: true },
  { number: '5555555555554444', cvv: '4921', month: 12, year: 2038, placed: true },
  { number: '4012888888881881', cvv: '835', month: 3, year: 2020, placed: false },
  { number: '4111111111111112', cvv: '573', month: 6, year: 2037, placed: false },
] as const;
const EMAIL = 'rosalind.franklin@example.org';

const variants = (number: string): string[] => [
  number,
  number.replace(/(\d{4})(?=\d)/g, '$1 '),
  number.replace(/(\d{4})(?=\d)/g, '$1-'),
];

/**
 * Every log line, exported span and metric exposition produced while shoppers pay: none may
 * carry a card number (in any spelling), a CVV value or the unmasked email address.
 */
describe('no secret leaves a process', () => {
  const receiver = new OtlpReceiver();
  let shop: ProcessShop;
  let texts: { where: string; text: string }[] = [];

  before(async () => {
    shop = await startProcessShop({ otlpEndpoint: await receiver.start(), logLevel: 'debug' });
    for (const card of CARDS) {
      const shopper = new WebShopper(shop.url);
      await shopper.addToCart('66VCHSJNUP', 1);
      const response = await shopper.checkout(card, EMAIL);
      assert.equal(response.status, card.placed ? 200 : 400, `checkout with ${card.number.slice(-4)}`);
    }
    const placed = CARDS.filter((c) => c.placed).length;
    // Every placed order's confirmation went through email; wait until checkout's spans are in.
    await waitFor(() => receiver.spans.filter((s) => s.name === 'send confirmation').length >= placed, {
      what: 'the confirmation spans',
      timeoutMs: 15_000,
    });
    const expositions = await Promise.all(
      Object.entries(shop.admin).map(async ([name, url]) => ({
        where: `${name} /metrics`,
        text: await (await fetch(`${url}/metrics`)).text(),
      })),
    );
    texts = [
      ...shop.allLines().map(({ name, line }) => ({ where: `${name} log`, text: line })),
      ...receiver.bodies.map((text) => ({ where: 'exported spans', text })),
      ...expositions,
    ];
  });

  after(async () => {
    await shop?.stop();
    await receiver.stop();
  });

  it('scanned logs of every service, spans and metrics', () => {
    const names = new Set(shop.allLines().map((l) => l.name));
    assert.ok(names.has('payment') && names.has('checkout') && names.has('frontend'));
    assert.ok(receiver.bodies.length > 0);
  });

  it('never shows a card number, however it is spelled', () => {
    for (const card of CARDS) {
      for (const spelling of variants(card.number)) {
        const leak = texts.find((t) => t.text.includes(spelling));
        assert.equal(leak, undefined, `${spelling} found in ${leak?.where}: ${leak?.text.slice(0, 200)}`);
      }
    }
  });

  it('finds no Luhn-valid 13–19 digit run anywhere', () => {
    // Span and trace ids are hex and log times are ISO; OTLP's nanosecond timestamps are the one
    // legitimate long digit run, so they are taken out first. Any other run is a card.
    const withoutTimes = (text: string) => text.replace(/"\w*UnixNano"\s*:\s*"?\d+"?/g, '');
    const leaks = texts.flatMap((t) =>
      findCardNumbers(withoutTimes(t.text)).map((n) => `${n} in ${t.where}`),
    );
    assert.deepEqual(leaks, []);
  });

  it('never records a CVV value', () => {
    const cvvField = /"(?:credit_?card_?)?cvv"\s*:\s*"?(\d{3,4})/i;
    for (const t of texts) {
      const match = cvvField.exec(t.text);
      assert.equal(match, null, `a cvv value in ${t.where}: ${t.text.slice(0, 200)}`);
    }
  });

  it('masks the email address wherever it appears', () => {
    const leak = texts.find((t) => t.text.includes(EMAIL));
    assert.equal(leak, undefined, `the email in ${leak?.where}: ${leak?.text.slice(0, 200)}`);
    assert.ok(
      texts.some((t) => t.text.includes('r***@example.org')),
      'the masked form is logged somewhere',
    );
  });
});
