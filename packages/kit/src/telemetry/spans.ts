import type { Attributes, Span, Tracer } from '@opentelemetry/api';
import { SpanStatusCode } from '@opentelemetry/api';
import { RpcError } from '../grpc/errors.js';

/** Runs `run` in an active child span named `name`; a failure sets error.type and ERROR status. */
export type SpanRunner = <T>(
  name: string,
  run: (span: Span) => Promise<T>,
  attributes?: Attributes,
) => Promise<T>;

/**
 * A runner of business steps in spans of `tracer`. `statusMessage` puts the failure's message in
 * the span status; leave it off where a reason may quote what must not be recorded (a card).
 */
export function spanRunner(tracer: Tracer, options: { statusMessage?: boolean } = {}): SpanRunner {
  return (name, run, attributes = {}) =>
    tracer.startActiveSpan(name, { attributes }, async (span) => {
      try {
        return await run(span);
      } catch (error) {
        const failure = RpcError.from(error);
        span.setAttribute('error.type', failure.errorType);
        span.setStatus({
          code: SpanStatusCode.ERROR,
          ...(options.statusMessage ? { message: failure.message } : {}),
        });
        throw error;
      } finally {
        span.end();
      }
    });
}
