import type { Context } from '@opentelemetry/api';
import { propagation } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';

/** The baggage entry the load generator sets on every request it makes. */
export const SYNTHETIC_BAGGAGE_KEY = 'synthetic_request';
/** The span attribute and log field that mark synthetic traffic downstream. */
export const SYNTHETIC_ATTRIBUTE = 'app.synthetic_request';

/** True when the context carries `synthetic_request=true` baggage. */
export function isSynthetic(context?: Context): boolean {
  const baggage = context ? propagation.getBaggage(context) : propagation.getActiveBaggage();
  return baggage?.getEntry(SYNTHETIC_BAGGAGE_KEY)?.value === 'true';
}

/**
 * Marks every span started under synthetic baggage, so traces, span metrics and tail sampling
 * can tell simulated shoppers from real ones in every service a request crosses.
 */
export class SyntheticTrafficSpanProcessor implements SpanProcessor {
  onStart(span: Span, parentContext: Context): void {
    if (isSynthetic(parentContext)) span.setAttribute(SYNTHETIC_ATTRIBUTE, true);
  }
  onEnd(_span: ReadableSpan): void {}
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
