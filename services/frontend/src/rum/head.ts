import { propagation, trace } from '@opentelemetry/api';
import { SYNTHETIC_BAGGAGE_KEY } from '@glasshouse/kit';
import type { SafeHtml } from '../views/html.js';
import { html } from '../views/html.js';

/** Where the browser bundle (web/rum.ts, built by `npm run build`) is served. */
export const RUM_SCRIPT = '/static/js/rum.js';
const SYNTHETIC_BAGGAGE = `${SYNTHETIC_BAGGAGE_KEY}=true`;
/** The W3C traceparent of the active (page request's) span, or undefined when none is recorded. */
function pageTraceparent(): string | undefined {
  const span = trace.getActiveSpan();
  if (!span) return undefined;
  const { traceId, spanId, traceFlags } = span.spanContext();
  if (!trace.isSpanContextValid(span.spanContext())) return undefined;
  return `00-${traceId}-${spanId}-0${(traceFlags & 1).toString(16)}`;
}

/**
 * The head tags of real-user monitoring, rendered inside the page request: its trace context
 * (the document-load instrumentation continues the trace from it), the synthetic marker when
 * the load generator asked for the page, and the bundle, deferred and from our origin (no
 * inline script, so a script-src 'self' policy holds).
 */
export function rumHeadTags(): SafeHtml {
  const traceparent = pageTraceparent();
  // The page request's baggage, extracted by the kit's traced server (none while tracing is off).
  const synthetic = propagation.getActiveBaggage()?.getEntry(SYNTHETIC_BAGGAGE_KEY)?.value === 'true';
  return html`${traceparent && html`<meta name="traceparent" content="${traceparent}" />`}
    ${synthetic && html`<meta name="baggage" content="${SYNTHETIC_BAGGAGE}" />`}
    <script src="${RUM_SCRIPT}" defer></script>`;
}
