import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_RATES_FILE, loadRates, parseRates } from './rates.js';

const REQUIRED = ['EUR', 'USD', 'JPY', 'CAD', 'GBP', 'TRY'];

describe('loadRates', () => {
  it('loads the shipped rates with EUR at exactly 1', async () => {
    const rates = await loadRates();
    const eur = rates.get('EUR');
    assert.ok(eur, 'EUR is missing');
    assert.equal(eur.numerator, eur.denominator);
  });

  it('includes every currency clients rely on', async () => {
    const rates = await loadRates(DEFAULT_RATES_FILE);
    for (const code of REQUIRED) assert.ok(rates.has(code), `missing ${code}`);
  });

  it('keeps rates as exact fractions', async () => {
    const usd = (await loadRates()).get('USD');
    assert.deepEqual(usd, { numerator: 11305n, denominator: 10000n });
  });

  it('names the file when it cannot be read', async () => {
    await assert.rejects(loadRates('/nonexistent/rates.json'), /ENOENT/);
  });
});

describe('parseRates', () => {
  it('accepts a minimal table', () => {
    const rates = parseRates('{"EUR": "1", "USD": "1.1305"}');
    assert.deepEqual([...rates.keys()], ['EUR', 'USD']);
  });

  const bad: ReadonlyArray<[string, string, RegExp]> = [
    ['an array', '["EUR"]', /test\.json: expected an object/],
    ['null', 'null', /expected an object/],
    ['a string', '"EUR"', /expected an object/],
    ['a lowercase code', '{"EUR": "1", "usd": "1.1"}', /"usd" is not an ISO 4217 code/],
    ['a four-letter code', '{"EUR": "1", "USDX": "1.1"}', /"USDX" is not an ISO 4217 code/],
    ['a numeric rate', '{"EUR": "1", "USD": 1.1305}', /rate of USD must be a decimal string/],
    ['a negative rate', '{"EUR": "1", "USD": "-1.1"}', /not a positive decimal/],
    ['a zero rate', '{"EUR": "1", "USD": "0.0"}', /is zero/],
    ['no EUR', '{"USD": "1.1305"}', /EUR must be present with rate 1/],
    ['EUR not at 1', '{"EUR": "1.01", "USD": "1.1305"}', /EUR must be present with rate 1/],
  ];
  for (const [what, json, message] of bad) {
    it(`refuses ${what}`, () => {
      assert.throws(() => parseRates(json, 'test.json'), message);
    });
  }

  it('accepts EUR written with trailing zeros', () => {
    const eur = parseRates('{"EUR": "1.000"}').get('EUR');
    assert.ok(eur && eur.numerator === eur.denominator);
  });

  it('refuses malformed JSON', () => {
    assert.throws(() => parseRates('{"EUR": '), SyntaxError);
  });
});
