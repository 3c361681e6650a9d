import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import type { Measurement } from './load.js';
import { mergeMeasurements, runClosedLoop } from './load.js';

describe('runClosedLoop', () => {
  it('keeps one operation in flight per user and counts only the measured window', async () => {
    let inFlight = 0;
    let most = 0;
    let measureStarts = 0;
    let measureEnds = 0;
    const m = await runClosedLoop(
      'sleepy',
      { concurrency: 4, warmupSeconds: 0.05, measureSeconds: 0.2 },
      () => async () => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await delay(5);
        inFlight -= 1;
      },
      { onMeasureStart: () => (measureStarts += 1), onMeasureEnd: () => (measureEnds += 1) },
    );
    assert.equal(most, 4);
    assert.equal(measureStarts, 1);
    assert.equal(measureEnds, 1);
    assert.equal(m.errors, 0);
    // 4 users × 200 ms / ≥5 ms: at most 160 operations, and timers make it fewer.
    assert.ok(m.count > 20 && m.count <= 160, `count ${m.count}`);
    assert.equal(m.rps, m.count / 0.2);
    assert.ok(m.p50Ms >= 4, `p50 ${m.p50Ms}`);
  });

  it('counts failures apart from successes and keeps the first reason', async () => {
    let calls = 0;
    const m = await runClosedLoop(
      'flaky',
      { concurrency: 1, warmupSeconds: 0, measureSeconds: 0.1 },
      () => async () => {
        calls += 1;
        await delay(1);
        if (calls % 2 === 0) throw new Error(`failure ${calls}`);
      },
    );
    assert.ok(m.errors > 0);
    assert.ok(Math.abs(m.errors - m.count) <= 2, `${m.errors} errors, ${m.count} successes`);
    assert.match(m.firstError ?? '', /^failure \d+$/);
  });
});

describe('mergeMeasurements', () => {
  const round = (samples: number[], seconds: number, errors = 0): Measurement => ({
    name: 'round',
    concurrency: 2,
    count: samples.length,
    rps: samples.length / seconds,
    p50Ms: Number.NaN,
    p90Ms: Number.NaN,
    p99Ms: Number.NaN,
    maxMs: Number.NaN,
    meanMs: Number.NaN,
    errors,
    seconds,
    samples: Float64Array.from(samples).sort(),
  });

  it('counts completions over the summed windows and takes percentiles over all samples', () => {
    const merged = mergeMeasurements('home', [round([1, 2, 3, 4], 2), round([10, 20], 1, 3)]);
    assert.equal(merged.name, 'home');
    assert.equal(merged.count, 6);
    assert.equal(merged.seconds, 3);
    assert.equal(merged.rps, 2);
    assert.equal(merged.errors, 3);
    assert.equal(merged.p50Ms, 3);
    assert.equal(merged.maxMs, 20);
    assert.deepEqual([...merged.samples], [1, 2, 3, 4, 10, 20]);
  });
});
