import { describe, it } from 'node:test';
import { FixedFeatureFlags, ServiceMetrics, createLogger } from '@glasshouse/kit';
import { waitFor } from '@glasshouse/kit/testing';
import { followTrafficSurge } from './faults.js';
import { TrafficGenerator } from './generator.js';
import { JOURNEYS, seededRandom } from './journeys.js';
import { TrafficMetrics } from './metrics.js';

describe('the traffic-surge scenario', () => {
  it('multiplies the shoppers while on and brings the usual number back when off', async () => {
    // Not started: configure() changes the settings all the same, and no shopper goes anywhere.
    const generator = new TrafficGenerator({
      target: new URL('http://127.0.0.1:1'),
      settings: { shoppers: 4, rate: 0, thinkMs: 1000, invalidRate: 0.02 },
      limits: { durationS: 0, iterations: 0, rampS: 0 },
      journeys: JOURNEYS,
      metrics: new TrafficMetrics(new ServiceMetrics({ defaultMetrics: false })),
      logger: createLogger({ serviceName: 'loadgen', level: 'silent' }),
      random: seededRandom(1),
    });
    const flags = new FixedFeatureFlags();
    const shoppers = () => generator.status().settings.shoppers;
    const stop = followTrafficSurge(generator, flags, shoppers);
    try {
      flags.set('traffic-surge', { multiplier: 3 });
      await waitFor(() => shoppers() === 12, { timeoutMs: 5_000, what: 'surged to 12 shoppers' });
      flags.set('traffic-surge', undefined);
      await waitFor(() => shoppers() === 4, { timeoutMs: 5_000, what: 'back to 4 shoppers' });
    } finally {
      stop();
    }
  });
});
