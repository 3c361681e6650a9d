import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { ServiceMetrics, createLogger } from '@glasshouse/kit';
import { waitFor } from '@glasshouse/kit/testing';
import { freePort } from '@glasshouse/kit/testing';
import { ShopBackoff } from './backoff.js';
import { TrafficGenerator } from './generator.js';
import { JOURNEYS, seededRandom } from './journeys.js';
import { TrafficMetrics } from './metrics.js';

describe('ShopBackoff', () => {
  it('doubles the pause with each failure up to its ceiling, and forgets it at the first answer', () => {
    let clock = 0;
    const backoff = new ShopBackoff({ random: () => 1, baseMs: 100, maxMs: 1000, now: () => clock });
    const pauses = [1, 2, 3, 4, 5, 6].map(() => {
      backoff.failed();
      const pause = backoff.pauseMs;
      clock += pause;
      return pause;
    });
    assert.deepEqual(pauses, [100, 200, 400, 800, 1000, 1000]);
    backoff.failed();
    backoff.succeeded();
    assert.equal(backoff.pauseMs, 0);
    backoff.failed();
    assert.equal(backoff.pauseMs, 100);
  });

  it('jitters each pause within the second half of its ceiling', () => {
    const backoff = new ShopBackoff({ random: () => 0, baseMs: 100, maxMs: 1000, now: () => 0 });
    backoff.failed();
    assert.equal(backoff.pauseMs, 50);
  });
});

describe('shoppers facing a shop that is down', () => {
  const warnings: Error[] = [];
  const onWarning = (warning: Error) => warnings.push(warning);
  process.on('warning', onWarning);
  const server = createServer((_request, response) => response.writeHead(200).end('<html></html>'));
  after(async () => {
    process.off('warning', onWarning);
    await new Promise((resolve) => server.close(resolve));
  });

  it('back off on refused connections, bounded, and resume by themselves once it is back', async () => {
    const port = await freePort();
    const metrics = new TrafficMetrics(new ServiceMetrics({ defaultMetrics: false }));
    const generator = new TrafficGenerator({
      target: new URL(`http://127.0.0.1:${port}`),
      settings: { shoppers: 20, rate: 0, thinkMs: 0, invalidRate: 0 },
      limits: { durationS: 0, iterations: 0, rampS: 0 },
      journeys: JOURNEYS,
      metrics,
      logger: createLogger({ serviceName: 'loadgen', level: 'silent' }),
      random: seededRandom(7),
      tickMs: 10,
      backoff: { baseMs: 100, maxMs: 800 },
    });
    generator.start();
    try {
      const started = Date.now();
      await waitFor(() => Date.now() - started >= 2000 || undefined, {
        timeoutMs: 5000,
        what: 'two seconds down',
      });
      const whileDown = metrics.counts().requests;
      // Without backoff 20 shoppers sent thousands in a second; with it each waits out a shared,
      // doubling pause: a few rounds of 20 at most.
      assert.ok(whileDown > 0, 'the shoppers tried');
      assert.ok(whileDown <= 200, `${whileDown} requests in 2 s to a closed port`);

      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
      assert.equal((server.address() as AddressInfo).port, port);
      await waitFor(() => metrics.counts().requests >= whileDown + 100 || undefined, {
        timeoutMs: 5000,
        what: 'shoppers walking again',
      });
    } finally {
      await generator.stop();
    }
    assert.deepEqual(
      warnings.filter((w) => w.name === 'MaxListenersExceededWarning').map((w) => w.message),
      [],
    );
  });
});
