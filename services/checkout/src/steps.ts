import { trace } from '@opentelemetry/api';
import { spanRunner } from '@glasshouse/kit';

const tracer = trace.getTracer('checkout');

/** Runs one business step of checkout in a child span named after it; a failure marks the span. */
export const step = spanRunner(tracer, { statusMessage: true });
