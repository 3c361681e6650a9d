// The shop's browser telemetry: the page's load, clicks and fetches as spans joined to the
// page's server trace (the traceparent meta tag), and the Web Vitals, sent to the frontend's
// /rum/v1 endpoints. Bundled by esbuild into static/js/rum.js (npm run build).
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { DocumentLoadInstrumentation } from '@opentelemetry/instrumentation-document-load';
import { FetchInstrumentation } from '@opentelemetry/instrumentation-fetch';
import { UserInteractionInstrumentation } from '@opentelemetry/instrumentation-user-interaction';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, WebTracerProvider } from '@opentelemetry/sdk-trace-web';
import { watchVitals } from './vitals.js';

/** Must match the frontend's BROWSER_SERVICE_NAME: spans naming another service are refused. */
const SERVICE_NAME = 'frontend-web';

function meta(name: string): string | undefined {
  return document.querySelector<HTMLMetaElement>(`meta[name="${name}"]`)?.content || undefined;
}

// The page says when its request was the load generator's (synthetic_request baggage): the
// beacons carry the same baggage back, so the frontend labels what they report synthetic.
const baggage = meta('baggage');
const headers: Record<string, string> = baggage ? { baggage } : {};

const provider = new WebTracerProvider({
  resource: resourceFromAttributes({ 'service.name': SERVICE_NAME, 'service.namespace': 'glasshouse' }),
  spanProcessors: [
    new BatchSpanProcessor(
      new OTLPTraceExporter({ url: new URL('/rum/v1/traces', location.href).href, headers }),
      // Small batches: the endpoint's body limit is 64 KiB, and a page's load is ~20 spans.
      { maxExportBatchSize: 50, scheduledDelayMillis: 1000 },
    ),
  ],
});
provider.register();

registerInstrumentations({
  tracerProvider: provider,
  instrumentations: [
    new DocumentLoadInstrumentation(),
    new UserInteractionInstrumentation({ eventNames: ['click', 'submit'] }),
    new FetchInstrumentation({ ignoreUrls: [/\/rum\/v1\//] }),
  ],
});

// A page being left may not come back: send what is batched while the browser still lets us.
addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'hidden') void provider.forceFlush();
});

watchVitals(new URL('/rum/v1/vitals', location.href).href, headers);
