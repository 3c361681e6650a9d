import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { hipstershop } from '@glasshouse/contracts';
import { ServiceMetrics, createClient } from '@glasshouse/kit';
import { OtlpReceiver, ServiceProcess, freePort } from '@glasshouse/kit/testing';

const ROOT = join(__dirname, '..');
const SERVER = 2;
const CALLS = 200;
const CONVERT = 'grpc.hipstershop.CurrencyService/Convert';

/**
 * Runs currency as its own process with the sampler `sampling` sets, makes CALLS Convert calls
 * that carry no trace context (each a root), stops it (shutdown flushes the spans) and counts
 * the Convert server spans its OTLP receiver got.
 */
async function convertSpansExported(sampling: Record<string, string>): Promise<number> {
  const receiver = new OtlpReceiver();
  const endpoint = await receiver.start();
  const [port, admin] = [await freePort(), await freePort()];
  const currency = new ServiceProcess('currency', join(ROOT, 'services', 'currency', 'dist', 'main.js'), {
    ...sampling,
    OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
    OTEL_BSP_SCHEDULE_DELAY: '100',
    LOG_LEVEL: 'warn',
    CURRENCY_ADDR: `127.0.0.1:${port}`,
    CURRENCY_ADMIN_ADDR: `127.0.0.1:${admin}`,
  }).start();
  try {
    await currency.ready(`http://127.0.0.1:${admin}/readyz`, 30_000);
    const client = createClient(hipstershop.CurrencyServiceClient, hipstershop.CurrencyServiceService, {
      address: `127.0.0.1:${port}`,
      metrics: new ServiceMetrics({ defaultMetrics: false }),
      deadlineMs: 5000,
    });
    try {
      for (let i = 0; i < CALLS; i += 1) {
        await client.convert({ from: { currencyCode: 'EUR', units: 10n, nanos: 0 }, toCode: 'USD' });
      }
    } finally {
      client.close();
    }
    assert.equal(await currency.stop(), 0, currency.lines.slice(-5).join('\n'));
    return receiver.spans.filter((s) => s.kind === SERVER && s.name === CONVERT).length;
  } finally {
    await currency.stop();
    await receiver.stop();
  }
}

describe('OTEL_TRACES_SAMPLER', () => {
  const counts: Record<string, number> = {};

  it('always_on exports a trace of every call', async () => {
    counts.always = await convertSpansExported({ OTEL_TRACES_SAMPLER: 'always_on' });
    assert.equal(counts.always, CALLS);
  });

  it('a 0.1 ratio sampler exports about a tenth of them', async () => {
    counts.ratio = await convertSpansExported({
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.1',
    });
    // Binomial(200, 0.1): 20 expected; outside 3..60 once in far more than a billion runs.
    assert.ok(counts.ratio >= 3 && counts.ratio <= 60, `${counts.ratio} of ${CALLS} sampled`);
  });

  it('always_off exports none', async () => {
    counts.off = await convertSpansExported({ OTEL_TRACES_SAMPLER: 'always_off' });
    assert.equal(counts.off, 0);
  });
});
