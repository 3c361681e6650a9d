import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { status } from '@grpc/grpc-js';
import { hipstershop } from '@glasshouse/contracts';
import type { PromiseClient } from '@glasshouse/kit';
import { GrpcServer, ServiceMetrics, createLogger } from '@glasshouse/kit';
import { expectStatus, serveOnFreePort } from '@glasshouse/kit/testing';
import type { Money } from '@glasshouse/money';
import { toNanos } from '@glasshouse/money';
import { loadRates } from './rates.js';
import { currencyService } from './server.js';

type CurrencyClient = PromiseClient<typeof hipstershop.CurrencyServiceService>;

const money = (currencyCode: string, units: bigint, nanos = 0): Money => ({ currencyCode, units, nanos });

describe('CurrencyService over gRPC', () => {
  let client: CurrencyClient;
  let stop: () => Promise<void>;
  let codes: string[];

  before(async () => {
    const rates = await loadRates();
    codes = [...rates.keys()];
    const metrics = new ServiceMetrics({ defaultMetrics: false });
    const server = new GrpcServer({
      logger: createLogger({ serviceName: 'currency-test', level: 'silent' }),
      metrics,
    });
    server.add(hipstershop.CurrencyServiceService, currencyService(rates));
    ({ client, stop } = await serveOnFreePort(
      server,
      hipstershop.CurrencyServiceClient,
      hipstershop.CurrencyServiceService,
      { metrics },
    ));
  });

  after(() => stop());

  it('lists every supported currency, sorted', async () => {
    const { currencyCodes } = await client.getSupportedCurrencies({});
    assert.deepEqual(currencyCodes, [...codes].sort());
    for (const code of ['EUR', 'USD', 'JPY', 'CAD', 'GBP', 'TRY'])
      assert.ok(currencyCodes.includes(code), code);
  });

  it('converts EUR to USD exactly', async () => {
    const result = await client.convert({ from: money('EUR', 10n), toCode: 'USD' });
    assert.deepEqual(result, money('USD', 11n, 305_000_000));
  });

  it('converts USD to JPY and back to within a nano', async () => {
    const from = money('USD', 100n);
    const yen = await client.convert({ from, toCode: 'JPY' });
    assert.equal(yen.currencyCode, 'JPY');
    // 100 / 1.1305 × 161.94 ≈ 14324.635
    assert.equal(yen.units, 14324n);
    assert.ok(yen.nanos > 635_000_000 && yen.nanos < 636_000_000, `nanos ${yen.nanos}`);
    const back = await client.convert({ from: yen, toCode: 'USD' });
    const drift = toNanos(back) - toNanos(from);
    assert.ok(drift >= -1n && drift <= 1n, `drifted by ${drift} nanos`);
  });

  it('returns the same amount when converting to its own currency', async () => {
    const from = money('GBP', 42n, 990_000_000);
    assert.deepEqual(await client.convert({ from, toCode: 'GBP' }), from);
  });

  it('keeps the sign of negative amounts', async () => {
    const result = await client.convert({ from: money('EUR', -10n), toCode: 'USD' });
    assert.deepEqual(result, money('USD', -11n, -305_000_000));
  });

  const invalid: ReadonlyArray<[string, hipstershop.CurrencyConversionRequest, RegExp]> = [
    ['an unknown to_code', { from: money('EUR', 1n), toCode: 'XYZ' }, /^to_code: .*"XYZ" is not supported/],
    ['an empty to_code', { from: money('EUR', 1n), toCode: '' }, /^to_code: /],
    [
      'an unknown from currency',
      { from: money('ABC', 1n), toCode: 'USD' },
      /^from: currency ABC is not supported/,
    ],
    ['a malformed from currency', { from: money('eur', 1n), toCode: 'USD' }, /^from: .*not an ISO 4217 code/],
    [
      'nanos above range',
      { from: money('EUR', 1n, 1_000_000_000), toCode: 'USD' },
      /^from: nanos 1000000000/,
    ],
    [
      'nanos below range',
      { from: money('EUR', -1n, -1_000_000_000), toCode: 'USD' },
      /^from: nanos -1000000000/,
    ],
    [
      'opposite signs',
      { from: money('EUR', 1n, -5), toCode: 'USD' },
      /^from: units and nanos have opposite signs/,
    ],
    ['a missing from', { from: undefined, toCode: 'USD' }, /^from: amount is missing/],
  ];
  for (const [what, request, reason] of invalid) {
    it(`refuses ${what} with INVALID_ARGUMENT`, async () => {
      await assert.rejects(client.convert(request), expectStatus(status.INVALID_ARGUMENT, reason));
    });
  }
});
