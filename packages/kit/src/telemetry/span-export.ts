import type { ExportResult } from '@opentelemetry/core';
import { ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

/** Spans handed to the exporter, by outcome: a failed batch is lost (the batch processor does not retry it). */
export interface SpanExportTally {
  exported: number;
  failed: number;
}

/** An exporter that counts what the exporter it wraps delivered and what it lost. */
export class CountedSpanExporter implements SpanExporter {
  readonly tally: SpanExportTally = { exported: 0, failed: 0 };
  /** The trace-export-failure scenario (issue 19): a batch it refuses is lost as a failed export is. */
  refuses: () => boolean = () => false;

  constructor(private readonly inner: SpanExporter) {}

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    if (this.refuses()) {
      this.tally.failed += spans.length;
      resultCallback({
        code: ExportResultCode.FAILED,
        error: new Error('the trace receiver refused the batch'),
      });
      return;
    }
    this.inner.export(spans, (result) => {
      if (result.code === ExportResultCode.SUCCESS) this.tally.exported += spans.length;
      else this.tally.failed += spans.length;
      resultCallback(result);
    });
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}
