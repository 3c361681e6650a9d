import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExportResult } from '@opentelemetry/core';
import { ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { ServiceMetrics } from '../metrics.js';
import { CountedSpanExporter } from './span-export.js';

/** An exporter that answers each batch with the next of `codes`. */
function exporterAnswering(codes: ExportResultCode[]): SpanExporter {
  return {
    export: (_spans: ReadableSpan[], done: (result: ExportResult) => void) =>
      done({ code: codes.shift() ?? ExportResultCode.SUCCESS }),
    shutdown: () => Promise.resolve(),
  };
}

const spans = (count: number): ReadableSpan[] => Array.from({ length: count }, () => ({}) as ReadableSpan);

describe('CountedSpanExporter', () => {
  it('counts the spans of delivered and of failed batches, and passes each result on', async () => {
    const exporter = new CountedSpanExporter(
      exporterAnswering([ExportResultCode.SUCCESS, ExportResultCode.FAILED, ExportResultCode.SUCCESS]),
    );
    const results: ExportResultCode[] = [];
    for (const count of [3, 2, 4]) exporter.export(spans(count), (r) => results.push(r.code));
    assert.deepEqual(results, [ExportResultCode.SUCCESS, ExportResultCode.FAILED, ExportResultCode.SUCCESS]);
    assert.deepEqual(exporter.tally, { exported: 7, failed: 2 });
    await exporter.forceFlush();
    await exporter.shutdown();
  });

  it('shows in otel_sdk_exporter_span_exported_total, the lost spans with error_type', async () => {
    const metrics = new ServiceMetrics({ defaultMetrics: false });
    assert.doesNotMatch((await metrics.scrape()).body, /^otel_sdk_exporter_span_exported_total/m);
    const exporter = new CountedSpanExporter(
      exporterAnswering([ExportResultCode.SUCCESS, ExportResultCode.FAILED]),
    );
    metrics.watchSpanExport(exporter.tally);
    exporter.export(spans(5), () => undefined);
    exporter.export(spans(2), () => undefined);
    const { body } = await metrics.scrape();
    assert.match(body, /^otel_sdk_exporter_span_exported_total 5$/m);
    assert.match(body, /^otel_sdk_exporter_span_exported_total\{error_type="export_failed"\} 2$/m);
  });
});
