import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LatencyRecorder, percentile } from './percentiles.js';

describe('percentile', () => {
  const hundred = Float64Array.from({ length: 100 }, (_, i) => i + 1);

  it('takes the nearest rank: the smallest sample with p % at or below it', () => {
    assert.equal(percentile(hundred, 50), 50);
    assert.equal(percentile(hundred, 99), 99);
    assert.equal(percentile(hundred, 99.5), 100);
    assert.equal(percentile(hundred, 100), 100);
    assert.equal(percentile(hundred, 0), 1);
    assert.equal(percentile([10, 20, 30], 50), 20);
    assert.equal(percentile([10, 20, 30, 40], 50), 20);
    assert.equal(percentile([7], 99), 7);
  });

  it('is NaN without samples and refuses a percentile outside 0..100', () => {
    assert.ok(Number.isNaN(percentile([], 50)));
    assert.throws(() => percentile(hundred, 101), RangeError);
    assert.throws(() => percentile(hundred, Number.NaN), RangeError);
  });
});

describe('LatencyRecorder', () => {
  it('sorts numerically and summarises past its first buffer', () => {
    const recorder = new LatencyRecorder();
    // 3000 samples, recorded in descending order: 3000 … 1, plus the outlier.
    for (let ms = 3000; ms >= 1; ms -= 1) recorder.record(ms);
    recorder.record(100_000);
    const summary = recorder.summary();
    assert.equal(summary.count, 3001);
    assert.equal(summary.p50Ms, 1501);
    assert.equal(summary.p99Ms, 2971);
    assert.equal(summary.maxMs, 100_000);
    assert.ok(Math.abs(summary.meanMs - (3000 * 3001) / 2 / 3001 - 100_000 / 3001) < 1e-9);
  });

  it('gives NaN figures when nothing was recorded', () => {
    const summary = new LatencyRecorder().summary();
    assert.equal(summary.count, 0);
    assert.ok(Number.isNaN(summary.p99Ms));
    assert.ok(Number.isNaN(summary.maxMs));
  });
});
