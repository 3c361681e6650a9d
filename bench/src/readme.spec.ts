import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { END, README, START, readLatest, renderResults, withResults } from './readme.js';

describe('bench/README.md', () => {
  it('holds the results of bench/results/latest.json as `npm run bench:readme` renders them', () => {
    const readme = readFileSync(README, 'utf8');
    assert.equal(readme, withResults(readme, renderResults(readLatest())), 'run `npm run bench:readme`');
  });

  it('renders the run’s throughput, figures and targets', () => {
    const section = renderResults({
      date: '2026-01-01',
      home_rps: 900,
      home_p50_ms: 30,
      home_p99_ms: 70,
      home_errors: 0,
      http_ceiling_rps: 15000,
      cold_start_s: 8.4,
    });
    assert.ok(section.startsWith(START) && section.endsWith(END));
    assert.match(section, /\| home GET \/ +\| 900 +\| req\/s +\| 0\.06× +\| 30\.0 +\| 70\.0 +\| 0 +\|/);
    assert.match(section, /\| cold_start_s +\| 8\.40 +\| ≤ 10 s +\| met +\|/);
  });
});
