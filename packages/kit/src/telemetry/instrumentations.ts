import type { Instrumentation } from '@opentelemetry/instrumentation';
import { GrpcInstrumentation } from '@opentelemetry/instrumentation-grpc';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';

/** Paths that probes and scrapers hit every few seconds: tracing them is noise. */
const UNTRACED_PATHS = new Set(['/metrics', '/healthz', '/readyz', '/_healthz', '/favicon.ico']);

function untraced(url: string | undefined): boolean {
  const path = (url ?? '').split('?')[0] ?? '';
  return UNTRACED_PATHS.has(path) || path.startsWith('/static/');
}

/**
 * The instrumentations every service loads: HTTP, gRPC, Redis, pino log correlation and undici
 * (fetch). Database spans come from the kit's Database, which serves Postgres and the embedded
 * PGlite alike. net, dns and fs stay off: they multiply spans without explaining anything.
 */
export function defaultInstrumentations(): Instrumentation[] {
  return [
    new HttpInstrumentation({
      ignoreIncomingRequestHook: (request) => untraced(request.url),
    }),
    new GrpcInstrumentation({ ignoreGrpcMethods: ['Check', 'Watch', 'ServerReflectionInfo'] }),
    new IORedisInstrumentation({ requireParentSpan: true }),
    new PinoInstrumentation(),
    new UndiciInstrumentation(),
  ];
}
