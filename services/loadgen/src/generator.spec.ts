import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ServiceMetrics, createLogger } from '@glasshouse/kit';
import type { RunLimits } from './config.js';
import type { GeneratorOptions } from './generator.js';
import { TrafficGenerator, rampShare } from './generator.js';
import { JOURNEYS, seededRandom } from './journeys.js';
import { TrafficMetrics } from './metrics.js';

/** A generator with no shoppers: it runs its clock and answers, and sends nothing anywhere. */
function idleGenerator(limits: Partial<RunLimits> = {}, options: Partial<GeneratorOptions> = {}) {
  return new TrafficGenerator({
    target: new URL('http://127.0.0.1:1'),
    settings: { shoppers: 0, rate: 0, thinkMs: 1000, invalidRate: 0.02 },
    limits: { durationS: 0, iterations: 0, rampS: 0, ...limits },
    journeys: JOURNEYS,
    metrics: new TrafficMetrics(new ServiceMetrics({ defaultMetrics: false })),
    logger: createLogger({ serviceName: 'loadgen', level: 'silent' }),
    random: seededRandom(1),
    tickMs: 10,
    ...options,
  });
}

describe('the ramp', () => {
  it('is full load at once without a ramp', () => {
    assert.equal(rampShare(0, { durationS: 0, iterations: 0, rampS: 0 }), 1);
  });

  it('rises over the ramp, holds, and falls over the last ramp of a duration', () => {
    const limits = { durationS: 100, iterations: 0, rampS: 10 };
    assert.deepEqual(
      [0, 5, 10, 50, 90, 95, 100, 120].map((t) => rampShare(t, limits)),
      [0, 0.5, 1, 1, 1, 0.5, 0, 0],
    );
  });

  it('only rises when the run has no duration', () => {
    const limits = { durationS: 0, iterations: 0, rampS: 4 };
    assert.deepEqual(
      [1, 4, 1e6].map((t) => rampShare(t, limits)),
      [0.25, 1, 1],
    );
  });
});

describe('a traffic run', () => {
  it('ends by itself after its duration', async () => {
    const generator = idleGenerator({ durationS: 0.2 });
    assert.equal(generator.status().state, 'ready');
    generator.start();
    assert.equal(generator.status().state, 'running');
    await generator.finished();
    const status = generator.status();
    assert.equal(status.state, 'finished');
    assert.ok(status.elapsedS >= 0.2, `elapsed ${status.elapsedS}`);
  });

  it('runs until stopped when it has no limit, and reports the settings it runs with', async () => {
    const generator = idleGenerator({ iterations: 0 });
    generator.start();
    assert.equal(generator.pause().state, 'paused');
    assert.equal(generator.resume().state, 'running');
    const changed = generator.configure({ rate: 12, invalidRate: 0.5 });
    assert.equal(changed.mode, 'open');
    assert.deepEqual(changed.settings, { shoppers: 0, rate: 12, thinkMs: 1000, invalidRate: 0.5 });
    await generator.stop();
    assert.equal(generator.status().state, 'stopped');
    assert.equal(generator.pause().state, 'stopped', 'a stopped run cannot be paused');
  });

  it('does not count paused time toward the duration', async () => {
    const generator = idleGenerator({ durationS: 60 });
    generator.pause();
    generator.start();
    const before = generator.status().elapsedS;
    // Real time passes while paused: a finished run of another generator takes a few ticks.
    const other = idleGenerator({ durationS: 0.1 });
    other.start();
    await other.finished();
    assert.equal(generator.status().elapsedS, before);
    await generator.stop();
  });
});
