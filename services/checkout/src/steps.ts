import type { Attributes, Span } from '@opentelemetry/api';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { RpcError } from '@glasshouse/kit';

const tracer = trace.getTracer('checkout');

/** Runs one business step of checkout in a child span named after it; a failure marks the span. */
export function step<T>(
  name: string,
  run: (span: Span) => Promise<T>,
  attributes: Attributes = {},
): Promise<T> {
  return tracer.startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await run(span);
    } catch (error) {
      const failure = RpcError.from(error);
      span.setAttribute('error.type', failure.errorType);
      span.setStatus({ code: SpanStatusCode.ERROR, message: failure.message });
      throw error;
    } finally {
      span.end();
    }
  });
}
