import rateLimit from '@fastify/rate-limit';
import Ajv from 'ajv';
import type { FastifyError, FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { EnvReader, Logger, ServiceMetrics } from '@glasshouse/kit';
import { envReader } from '@glasshouse/kit';
import { browserResource, foreignResourceReason, markSynthetic } from './browser-resource.js';
import type { ForwardOutcome } from './forward.js';
import { SpanForwarder, tracesUrlOf } from './forward.js';
import type { BrowserTraces, BrowserVitals } from './payloads.js';
import { TRACES_SCHEMA, VITALS_SCHEMA } from './payloads.js';
import { pageTemplateOf } from './page-template.js';
import { isSyntheticRequest } from './synthetic.js';
import { WebVitalHistograms } from './vitals.js';

export interface RumCollectorOptions {
  metrics: ServiceMetrics;
  logger: Logger;
  /** Read once for the OTLP endpoint and the resource; process.env by default, as the kit's tracing. */
  env?: EnvReader;
  /** Beacons per client address and minute; a page sends two to four. */
  ratePerMinute?: number;
}

/** A batch of a page's spans fits in 64 KiB, the most a browser lets keepalive requests carry. */
const TRACES_BODY_LIMIT = 64 * 1024;
const VITALS_BODY_LIMIT = 4 * 1024;
const DEFAULT_RATE_PER_MINUTE = 120;

// Our own validator: Fastify's default drops unknown fields and coerces types, where a payload
// that is not exactly ours must be refused.
const ajv = new Ajv({ allErrors: false, coerceTypes: false, removeAdditional: false, useDefaults: false });

/** A 4xx with a message, in the shape Fastify's own errors have. */
function refusal(statusCode: number, message: string): FastifyError {
  return Object.assign(new Error(message), { statusCode, code: 'RUM_REFUSED', name: 'RumRefused' });
}

/**
 * POST /rum/v1/traces (OTLP/JSON spans of the page) and /rum/v1/vitals (its Web Vitals): the
 * browser bundle's endpoints. Each payload is checked against our format and answered 202 or a
 * 4xx with a reason; spans go on to the OTLP receiver under the browser's resource, vitals into
 * histograms by page template. Both carry the load generator's synthetic marker.
 */
export const rumCollector: FastifyPluginAsync<RumCollectorOptions> = async (app, options) => {
  const env = options.env ?? envReader();
  const url = tracesUrlOf(env);
  const resource = browserResource(env);
  const vitals = new WebVitalHistograms(options.metrics);
  const spans = options.metrics.counter(
    'browser_spans_total',
    'Spans received from shoppers\u2019 browsers, by what became of them.',
    ['outcome'],
  );
  const counted = (outcome: ForwardOutcome | 'not_exported', count: number) => spans.inc({ outcome }, count);
  const forwarder = url && new SpanForwarder(url, options.logger, counted);

  // Awaited: the limiter's onRoute hook must be in place before the routes below are added.
  await app.register(rateLimit, {
    max: options.ratePerMinute ?? DEFAULT_RATE_PER_MINUTE,
    timeWindow: 60_000,
    // Bounded: the least recently seen addresses are forgotten first.
    cache: 10_000,
  });
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const statusCode = error.statusCode !== undefined && error.statusCode >= 400 ? error.statusCode : 500;
    // Everything a client can send is refused before a handler runs; what is left is ours.
    if (statusCode >= 500) request.log.error({ err: error }, 'browser telemetry failed');
    void reply.code(statusCode).send({ error: statusCode >= 500 ? 'internal' : error.message });
  });
  app.setValidatorCompiler(({ schema }) => ajv.compile(schema));

  app.post<{ Body: BrowserTraces }>(
    '/rum/v1/traces',
    { bodyLimit: TRACES_BODY_LIMIT, schema: { body: TRACES_SCHEMA } },
    async (request, reply) => {
      const [batch] = request.body.resourceSpans;
      const foreign = foreignResourceReason(batch.resource.attributes ?? []);
      if (foreign) throw refusal(400, foreign);
      const synthetic = isSyntheticRequest(request.headers);
      const count = batch.scopeSpans.reduce((sum, scope) => sum + scope.spans.length, 0);
      if (synthetic) for (const scope of batch.scopeSpans) scope.spans.forEach(markSynthetic);
      if (forwarder) {
        const forwarded = {
          resourceSpans: [{ ...batch, resource: resource(batch.resource.attributes ?? []) }],
        };
        forwarder.forward(JSON.stringify(forwarded), count);
      } else counted('not_exported', count);
      return reply.code(202).send({});
    },
  );

  app.post<{ Body: BrowserVitals }>(
    '/rum/v1/vitals',
    { bodyLimit: VITALS_BODY_LIMIT, schema: { body: VITALS_SCHEMA } },
    async (request, reply) => {
      const page = pageTemplateOf(app, request.body.page);
      const synthetic = isSyntheticRequest(request.headers);
      for (const { name, value } of request.body.vitals) vitals.record(name, value, page, synthetic);
      return reply.code(202).send({});
    },
  );
};

/** Registers the collector; one line in the app. */
export function registerRum(app: FastifyInstance, options: RumCollectorOptions): void {
  void app.register(rumCollector, options);
}
