import { trace } from '@opentelemetry/api';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { startTracing } from '@glasshouse/kit';
import { RUM_SCRIPT, rumHeadTags } from '../../services/frontend/src/rum/head.js';
import type { Results } from './report.js';
import { round } from './report.js';
import { ROOT } from './system.js';

const RENDERS = 200_000;

/**
 * What real-user monitoring costs: the browser bundle's size (raw as the frontend serves it,
 * and gzipped), and the CPU of the only per-page work, the head tags with the page's
 * traceparent. The bundle is a static file the browser caches for an hour.
 */
export async function measureRum(): Promise<Results> {
  const bundle = readFileSync(join(ROOT, 'services', 'frontend', RUM_SCRIPT.replace(/^\//, '')));
  // Inside a recording span, as a page request is; no exporter, so the spans are only dropped.
  const tracing = startTracing({ serviceName: 'bench', environment: {} });
  let length = 0;
  let start = process.cpuUsage();
  trace.getTracer('bench').startActiveSpan('GET /', (span) => {
    start = process.cpuUsage();
    for (let i = 0; i < RENDERS; i++) length += rumHeadTags().toString().length;
    span.end();
  });
  const used = process.cpuUsage(start);
  await tracing.shutdown();
  return {
    rum_bundle_kb: round(bundle.length / 1024, 1),
    rum_bundle_gzip_kb: round(gzipSync(bundle, { level: 9 }).length / 1024, 1),
    rum_head_cpu_us_per_page: round((used.user + used.system) / RENDERS, 2),
    rum_head_bytes_per_page: Math.round(length / RENDERS),
  };
}
