import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Measurement } from './load.js';
import type { Results } from './report.js';
import { evaluateTargets, formatNumber, measurementFields, renderReport, round } from './report.js';

const RUN: Results = {
  date: '2026-01-02T03:04:05.000Z',
  machine_cores: 2,
  machine_cpu_model: 'Test CPU',
  machine_node_version: 'v20.0.0',
  bench_concurrency_http: 32,
  bench_concurrency_grpc: 64,
  bench_warmup_s: 3,
  bench_measure_s: 10,
  http_ceiling_rps: 10_000,
  http_ceiling_p50_ms: 1.5,
  http_ceiling_p99_ms: 4,
  home_rps: 500,
  home_p50_ms: 60,
  home_p99_ms: 120.456,
  home_errors: 0,
  grpc_ceiling_rps: 8000,
  convert_rps: 6000,
  convert_p99_ms: 9.5,
  checkout_rps: 150,
  checkout_p99_ms: 90,
  telemetry_on_off_ratio_home: 0.8,
  telemetry_on_off_ratio_convert: 0.9,
  idle_rss_mb_total: 900,
  loaded_rss_mb_total: 1100,
  cold_start_s: 12,
  idle_rss_mb_frontend: 90.5,
  loaded_rss_mb_frontend: 150,
  cpu_s_per_1000_home_frontend: 2.5,
  orders_confirmed: 10,
  orders_persisted: 10,
};

describe('evaluateTargets', () => {
  it('judges each target of issue 5 against its goal', () => {
    const outcome = Object.fromEntries(evaluateTargets(RUN).map((t) => [t.name, t.met]));
    assert.deepEqual(outcome, {
      convert_rps: true, // 6000 ≥ 0.7 × 8000
      telemetry_on_off_ratio_home: false,
      idle_rss_mb_total: true,
      cold_start_s: false,
      checkout_rps: false,
      checkout_p99_ms: true,
    });
  });

  it('counts a missing figure as missed', () => {
    const partial = Object.fromEntries(Object.entries(RUN).filter(([key]) => key !== 'convert_rps'));
    const convert = evaluateTargets(partial).find((t) => t.name === 'convert_rps');
    assert.equal(convert?.met, false);
    assert.ok(Number.isNaN(convert?.value));
  });
});

describe('formatting', () => {
  it('rounds and formats numbers for the table', () => {
    assert.equal(round(1.23456, 2), 1.23);
    assert.equal(formatNumber(12345.6), '12346');
    assert.equal(formatNumber(42.25), '42.3');
    assert.equal(formatNumber(0.8), '0.80');
    assert.equal(formatNumber(Number.NaN), '—');
  });

  it('turns a measurement into flat, rounded fields', () => {
    const m: Measurement = {
      name: 'home',
      concurrency: 32,
      count: 1000,
      rps: 100.04,
      p50Ms: 1.234,
      p90Ms: 2.345,
      p99Ms: 3.456,
      maxMs: 9.999,
      meanMs: 1.5,
      errors: 2,
      seconds: 10,
      warmupSeconds: 12.34,
      samples: new Float64Array(),
    };
    assert.deepEqual(measurementFields('home', m), {
      home_rps: 100,
      home_p50_ms: 1.23,
      home_p90_ms: 2.35,
      home_p99_ms: 3.46,
      home_max_ms: 10,
      home_errors: 2,
      home_warmup_s: 12.3,
    });
  });

  it('shows each figure with its ratio to the ceiling and every target met or missed', () => {
    const text = renderReport(RUN);
    const homeLine = text.split('\n').find((line) => line.startsWith('home  GET /'));
    assert.ok(homeLine, text);
    assert.match(homeLine, /500\s+req\/s\s+0\.05×\s+60\.0\s+120\s+0$/);
    assert.match(text, /currency Convert\s+6000\s+calls\/s\s+0\.75×/);
    assert.match(text, /convert_rps\s+6000\s+≥ 0\.7 × grpc_ceiling_rps \(5600\)\s+met/);
    assert.match(text, /cold_start_s\s+12\.0\s+≤ 10 s\s+MISSED/);
    assert.match(text, /frontend\s+90\.5\s+150\s+2\.50/);
    assert.match(text, /orders persisted \/ confirmed\s+10 \/ 10/);
    // Rows without figures are left out rather than shown empty.
    assert.doesNotMatch(text, /payment Charge/);
  });
});
