/**
 * Starts tracing for this process. Import it first in a service's main.ts, before anything
 * that loads http, @grpc/grpc-js, pg or ioredis: instrumentation patches modules as they load.
 * This is the kit's one module with a side effect on import, on purpose.
 */
import { basename, dirname } from 'node:path';
import { installLeanAsyncResourceBind } from './async-resource-bind.js';
import { envReader } from './config.js';
import { defaultInstrumentations } from './telemetry/instrumentations.js';
import type { Tracing } from './telemetry/tracing.js';
import { setProcessTracing, startTracing } from './telemetry/tracing.js';

// Every gRPC call binds a function to an async resource (node:http2): without the deprecated
// accessor Node 20 adds to each.
installLeanAsyncResourceBind();

// Stable HTTP and database semantic conventions (http.request.method, db.system.name, ...).
process.env.OTEL_SEMCONV_STABILITY_OPT_IN ??= 'http,database';

/** The service name: OTEL_SERVICE_NAME, else the folder above dist/ (services/<name>/dist/main.js). */
function serviceName(): string {
  const fromEnv = envReader().optionalString('OTEL_SERVICE_NAME');
  if (fromEnv) return fromEnv;
  const script = process.argv[1] ?? 'unknown_service';
  return basename(dirname(dirname(script)));
}

// OTEL_SDK_DISABLED=true (the standard switch) leaves tracing and every instrumentation off:
// spans, propagation and log correlation disappear; metrics and logs stay.
if (!envReader().bool('OTEL_SDK_DISABLED', false)) {
  const tracing: Tracing = startTracing({
    serviceName: serviceName(),
    serviceVersion: envReader().string('SERVICE_VERSION', '0.1.0'),
    instrumentations: defaultInstrumentations(),
  });
  setProcessTracing(tracing);
}
