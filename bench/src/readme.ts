import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { markdownTable } from '@glasshouse/kit';
import type { Results } from './report.js';
import { THROUGHPUT_HEADER, figureRows, targetRows, throughputRows } from './report.js';

export const README = join(__dirname, '..', 'README.md');
export const LATEST = join(__dirname, '..', 'results', 'latest.json');
export const START = '<!-- results: generated from bench/results/latest.json by `npm run bench:readme` -->';
export const END = '<!-- end of results -->';

/** The results section of bench/README.md: the run's machine, then its tables. */
export function renderResults(results: Results): string {
  const line = (key: string) => String(results[key] ?? '—');
  return [
    START,
    '',
    `Run of ${line('date')} on ${line('machine_cores')} cores (${line('machine_cpu_model')}), Node.js ` +
      `${line('machine_node_version')}; ${line('bench_concurrency_http')} HTTP clients ` +
      `(${line('bench_concurrency_checkout')} checking out), ${line('bench_concurrency_grpc')} gRPC clients, ` +
      `${line('bench_measure_s')} s measured a phase after ${line('bench_warmup_s')}–${line('bench_max_warmup_s')} s of warm-up.`,
    '',
    ...markdownTable(THROUGHPUT_HEADER, throughputRows(results)),
    '',
    ...markdownTable(['figure', 'value'], figureRows(results)),
    '',
    ...markdownTable(['target', 'value', 'goal', ''], targetRows(results)),
    '',
    END,
  ].join('\n');
}

/** `readme` with its results section replaced by `section`. */
export function withResults(readme: string, section: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`bench/README.md has no results section (${START} … ${END})`);
  return readme.slice(0, start) + section + readme.slice(end + END.length);
}

export function readLatest(): Results {
  return JSON.parse(readFileSync(LATEST, 'utf8')) as Results;
}

if (require.main === module) {
  writeFileSync(README, withResults(readFileSync(README, 'utf8'), renderResults(readLatest())));
}
