import type { Instrumentation } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';

/** Paths that probes and scrapers hit every few seconds: tracing them is noise. */
const UNTRACED_PATHS = new Set(['/metrics', '/healthz', '/readyz', '/_healthz', '/favicon.ico']);

/** True for a request path (no query) that is not traced: probes, /metrics, static files. */
export function untracedPath(path: string): boolean {
  return UNTRACED_PATHS.has(path) || path.startsWith('/static/');
}

function untraced(url: string | undefined): boolean {
  return untracedPath((url ?? '').split('?')[0] ?? '');
}

/**
 * The instrumentations every service loads: HTTP, Redis, pino log correlation and undici
 * (fetch). gRPC spans come from the kit's GrpcServer and clients (grpc/tracing.ts), the
 * frontend's page spans from its traced server (http-server.ts), database spans from the kit's
 * Database, which serves Postgres and the embedded PGlite alike. net, dns and fs stay off:
 * they multiply spans without explaining anything.
 */
export function defaultInstrumentations(): Instrumentation[] {
  return [
    new HttpInstrumentation({
      ignoreIncomingRequestHook: (request) => untraced(request.url),
      // No service sends with node:http but the OTLP exporter, whose requests are never traced;
      // fetch (undici) has an instrumentation of its own.
      disableOutgoingRequestInstrumentation: true,
    }),
    new IORedisInstrumentation({ requireParentSpan: true }),
    // Log lines leave as JSON on stdout, where the collector reads them. Sending each one to the
    // OpenTelemetry Logs API as well (with no logger provider here) parsed every line again.
    new PinoInstrumentation({ disableLogSending: true }),
    new UndiciInstrumentation(),
  ];
}
