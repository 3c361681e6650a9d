import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  add,
  convert,
  formatMoney,
  fromNanos,
  moneyProblem,
  multiply,
  parseRate,
  sum,
  toDecimalString,
} from './index.js';

const usd = (units: bigint, nanos: number) => ({ currencyCode: 'USD', units, nanos });

describe('money', () => {
  it('adds with carry between nanos and units', () => {
    assert.deepEqual(add(usd(1n, 600_000_000), usd(2n, 500_000_000)), usd(4n, 100_000_000));
    assert.deepEqual(add(usd(1n, 0), usd(-1n, -500_000_000)), usd(0n, -500_000_000));
  });

  it('keeps units and nanos on the same sign', () => {
    assert.deepEqual(fromNanos('USD', -1_500_000_000n), usd(-1n, -500_000_000));
  });

  it('multiplies and sums exactly', () => {
    assert.deepEqual(multiply(usd(19n, 990_000_000), 3), usd(59n, 970_000_000));
    assert.deepEqual(sum('USD', [usd(0n, 100_000_000), usd(0n, 200_000_000)]), usd(0n, 300_000_000));
  });

  it('rejects malformed amounts with a reason', () => {
    assert.match(moneyProblem(usd(1n, -5)) ?? '', /opposite signs/);
    assert.match(moneyProblem(usd(0n, 1_000_000_000)) ?? '', /outside/);
    assert.match(moneyProblem({ currencyCode: 'usd', units: 1n, nanos: 0 }) ?? '', /ISO 4217/);
    assert.equal(moneyProblem(usd(5n, 0)), undefined);
    assert.match(moneyProblem(undefined) ?? '', /missing/);
  });

  it('converts through the base currency and rounds to the nearest nano', () => {
    const eur = parseRate('1.0');
    const usdRate = parseRate('1.1305');
    const converted = convert({ currencyCode: 'EUR', units: 10n, nanos: 0 }, eur, usdRate, 'USD');
    assert.deepEqual(converted, usd(11n, 305_000_000));
    const back = convert(usd(1n, 0), usdRate, eur, 'EUR');
    // 1 / 1.1305 = 0.884564352...
    assert.deepEqual(back, { currencyCode: 'EUR', units: 0n, nanos: 884_564_352 });
  });

  it('refuses rates that are not positive decimals', () => {
    assert.throws(() => parseRate('abc'), /not a positive decimal/);
    assert.throws(() => parseRate('0'), /zero/);
  });

  it('formats for display without float rounding', () => {
    assert.equal(toDecimalString(usd(12n, 990_000_000)), '12.99');
    assert.equal(formatMoney(usd(1234n, 500_000_000)), '$1,234.50');
    assert.equal(formatMoney({ currencyCode: 'JPY', units: 1430n, nanos: 0 }), '¥1,430');
    assert.equal(
      formatMoney({ currencyCode: 'EUR', units: 9007199254740993n, nanos: 10_000_000 }),
      '€9,007,199,254,740,993.01',
    );
  });
});
