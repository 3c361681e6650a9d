import type { Context, Tracer, TracerProvider } from '@opentelemetry/api';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { isWrapped } from '@opentelemetry/instrumentation';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { Server, createServer } from 'node:http';
import { untracedPath } from './instrumentations.js';

const TRACER_NAME = '@glasshouse/kit/http';
const UNTRACED = suppressTracing(ROOT_CONTEXT);

/**
 * Runs every event of `emitter` in `active`, so listeners added by the framework later (body
 * reading, 'finish' hooks) see the request's span. One wrapper per object, where the HTTP
 * instrumentation's binding patches six methods and wraps each listener.
 */
function emitIn(emitter: IncomingMessage | ServerResponse, active: Context): void {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with its own this
  const emit = emitter.emit;
  emitter.emit = function (this: unknown, ...args: Parameters<typeof emit>) {
    return context.with(active, emit, this, ...args);
  } as typeof emit;
}

/** Host header → server.address and server.port. */
function serverOf(host: string | undefined): { address?: string; port?: number } {
  if (!host) return {};
  const colon = host.lastIndexOf(':');
  if (colon < 0 || host.endsWith(']')) return { address: host };
  const port = Number(host.slice(colon + 1));
  return Number.isInteger(port) ? { address: host.slice(0, colon), port } : { address: host };
}

/**
 * The request listener of a server that makes its own HTTP server spans, shaped as the HTTP
 * instrumentation makes them (named after the method, W3C context and baggage from the
 * headers, http.response.status_code, ERROR for a 5xx) with fewer attributes and a fraction of
 * its cost per request. Probes, /metrics and /static/ are not traced, as everywhere.
 */
export function tracedRequestListener(listener: RequestListener): RequestListener {
  let tracing: { provider: TracerProvider; tracer: Tracer } | undefined;
  const tracer = (): Tracer => {
    const provider = trace.getTracerProvider();
    if (tracing?.provider !== provider) tracing = { provider, tracer: provider.getTracer(TRACER_NAME) };
    return tracing.tracer;
  };
  return (request, response) => {
    const url = request.url ?? '/';
    const query = url.indexOf('?');
    const path = query < 0 ? url : url.slice(0, query);
    if (untracedPath(path)) {
      context.with(UNTRACED, listener, undefined, request, response);
      return;
    }
    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    const method = request.method ?? 'GET';
    const server = serverOf(request.headers.host);
    const span = tracer().startSpan(
      method,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': method,
          'url.scheme': 'http',
          'url.path': path,
          'server.address': server.address,
          'server.port': server.port,
          'client.address': request.socket.remoteAddress,
        },
      },
      parent,
    );
    if (!span.isRecording() && !trace.isSpanContextValid(span.spanContext())) {
      // Tracing is off: nothing to record and no context to pass on.
      listener(request, response);
      return;
    }
    const active = trace.setSpan(parent, span);
    emitIn(request, active);
    emitIn(response, active);
    response.once('close', () => {
      span.setAttribute('http.response.status_code', response.statusCode);
      if (response.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    context.with(active, listener, undefined, request, response);
  };
}

/**
 * An http.Server whose requests are traced by `tracedRequestListener` alone: the HTTP
 * instrumentation patches Server.prototype.emit for every server, so this one keeps the
 * original method.
 */
export function createTracedServer(listener: RequestListener): Server {
  const server = createServer(tracedRequestListener(listener));
  // eslint-disable-next-line @typescript-eslint/unbound-method -- only compared and unwrapped
  const emit = Server.prototype.emit;
  if (isWrapped(emit)) server.emit = emit.__original as typeof emit;
  return server;
}
