import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import type { Measurement } from './load.js';
import { Settling, mergeMeasurements, runClosedLoop } from './load.js';
import { rotated } from './telemetry-compare.js';

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

  it('warms up until CPU per operation stops falling, then measures', async () => {
    // A system that gets cheaper for its first 3,000 operations, as a JIT warms up: 3 ms of CPU
    // per operation falling by 0.001 ms each, then 0.01 ms for good.
    let cpu = 0;
    let done = 0;
    let doneAtStart = 0;
    const operation = async (): Promise<void> => {
      await delay(1);
      cpu += Math.max(0.01, 3 - 0.001 * done) / 1000;
      done += 1;
    };
    const m = await runClosedLoop(
      'warming',
      {
        concurrency: 4,
        warmupSeconds: 0,
        maxWarmupSeconds: 60,
        measureSeconds: 0.1,
        settleWindowSeconds: 0.1,
      },
      () => operation,
      { cpuSeconds: () => cpu, onMeasureStart: () => (doneAtStart = done) },
    );
    assert.ok(m.warmupSeconds >= 8 * 0.1, `warm-up ${m.warmupSeconds} s`);
    assert.ok(m.warmupSeconds < 60, `warm-up ${m.warmupSeconds} s`);
    assert.ok(doneAtStart > 3000, `measuring began after ${doneAtStart} operations`);
    assert.ok(m.count > 0);
  });

  it('measures after the minimum warm-up when nothing reads the CPU', async () => {
    const m = await runClosedLoop(
      'plain',
      { concurrency: 1, warmupSeconds: 0.05, maxWarmupSeconds: 60, measureSeconds: 0.05 },
      () => () => delay(1),
    );
    assert.ok(m.warmupSeconds >= 0.04 && m.warmupSeconds < 1, `warm-up ${m.warmupSeconds} s`);
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

describe('Settling', () => {
  const settledAfter = (windows: number[]): number | undefined => {
    const settling = new Settling();
    const at = windows.findIndex((cpu) => settling.window(cpu));
    return at < 0 ? undefined : at + 1;
  };

  it('waits while CPU per operation keeps falling, as while the JIT is at work', () => {
    // 1 % cheaper each window, under ±2 % noise: 4 % from one span of windows to the next.
    const falling = Array.from({ length: 24 }, (_, i) => 12 * 0.99 ** i * (i % 2 === 0 ? 1.02 : 0.98));
    assert.equal(settledAfter(falling), undefined);
  });

  it('settles once four windows cost at least 97 % of the four before', () => {
    assert.equal(settledAfter([10.4, 10, 10.2, 10, 10, 10.2, 9.9, 10.1]), 8);
    assert.equal(settledAfter([12, 11, 10, 9, 8.4, 8.2, 8.1, 8, 8.1, 8, 7.9, 8.2]), 12);
  });

  it('ignores windows without a finished operation', () => {
    assert.equal(settledAfter([Number.NaN, 10, 10, 10, Number.NaN, 10, 10, 10, 10, 10]), 10);
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
    warmupSeconds: 1,
    samples: Float64Array.from(samples).sort(),
  });

  it('counts completions over the summed windows and takes percentiles over all samples', () => {
    const merged = mergeMeasurements('home', [round([1, 2, 3, 4], 2), round([10, 20], 1, 3)]);
    assert.equal(merged.name, 'home');
    assert.equal(merged.count, 6);
    assert.equal(merged.seconds, 3);
    assert.equal(merged.rps, 2);
    assert.equal(merged.errors, 3);
    assert.equal(merged.warmupSeconds, 2);
    assert.equal(merged.p50Ms, 3);
    assert.equal(merged.maxMs, 20);
    assert.deepEqual([...merged.samples], [1, 2, 3, 4, 10, 20]);
  });
});

describe('rotated', () => {
  it('starts each round with the next item, wrapping round', () => {
    assert.deepEqual(rotated(['on', 'off', 'local'], 0), ['on', 'off', 'local']);
    assert.deepEqual(rotated(['on', 'off', 'local'], 1), ['off', 'local', 'on']);
    assert.deepEqual(rotated(['on', 'off', 'local'], 5), ['local', 'on', 'off']);
    assert.deepEqual(rotated([], 3), []);
  });
});
