import type { Metadata } from '@grpc/grpc-js';
import type {
  Attributes,
  Context,
  Span,
  TextMapGetter,
  TextMapSetter,
  Tracer,
  TracerProvider,
} from '@opentelemetry/api';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, propagation, trace } from '@opentelemetry/api';

/**
 * Spans of the gRPC calls the kit serves and makes, named and shaped as the OpenTelemetry gRPC
 * instrumentation names them (`grpc.hipstershop.CartService/GetCart`, rpc.* attributes, W3C
 * trace context and baggage in the metadata). The kit wraps every handler and client method
 * anyway, so it traces them there: the instrumentation's per-call shimmer wrapping, event
 * emitter binding and metadata scans cost more than the span itself.
 */

const TRACER_NAME = '@glasshouse/kit/grpc';

const metadataGetter: TextMapGetter<Metadata> = {
  get(carrier, key) {
    const values = carrier.get(key);
    if (values.length === 0) return undefined;
    return values.length === 1 ? String(values[0]) : values.map(String);
  },
  keys: (carrier) => Object.keys(carrier.getMap()),
};

const metadataSetter: TextMapSetter<Metadata> = {
  set: (carrier, key, value) => carrier.set(key, value),
};

/** What every span of one method carries, computed once per method rather than per call. */
export class MethodSpans {
  readonly name: string;
  private readonly attributes: Attributes;
  private tracing: { provider: TracerProvider; tracer: Tracer } | undefined;

  /** `rpcMethod` is the full method, `hipstershop.CartService/GetCart`. */
  constructor(rpcMethod: string, extra: Attributes = {}) {
    const slash = rpcMethod.indexOf('/');
    this.name = `grpc.${rpcMethod}`;
    this.attributes = {
      'rpc.system': 'grpc',
      'rpc.service': rpcMethod.slice(0, slash),
      'rpc.method': rpcMethod.slice(slash + 1),
      ...extra,
    };
  }

  /**
   * The tracer of the provider registered now: looked up again only when the global provider
   * changes (tests start and stop tracing in one process), not on every call.
   */
  private tracer(): Tracer {
    const provider = trace.getTracerProvider();
    if (this.tracing?.provider !== provider)
      this.tracing = { provider, tracer: provider.getTracer(TRACER_NAME) };
    return this.tracing.tracer;
  }

  /** A server span, child of the trace context in the request metadata. */
  startServer(metadata: Metadata): { span: Span; context: Context } {
    const parent = propagation.extract(ROOT_CONTEXT, metadata, metadataGetter);
    const span = this.tracer().startSpan(
      this.name,
      { kind: SpanKind.SERVER, attributes: this.attributes },
      parent,
    );
    return { span, context: trace.setSpan(parent, span) };
  }

  /** A client span, child of `parent`, whose context goes into `metadata` for the server. */
  startClient(parent: Context, metadata: Metadata): Span {
    const span = this.tracer().startSpan(
      this.name,
      { kind: SpanKind.CLIENT, attributes: this.attributes },
      parent,
    );
    propagation.inject(trace.setSpan(parent, span), metadata, metadataSetter);
    return span;
  }
}

/** Ends a call's span with its status: any code but OK is an error, as the instrumentation has it. */
export function endCallSpan(span: Span, code: number, error?: { message: string; errorType: string }): void {
  if (!span.isRecording()) return;
  span.setAttribute('rpc.grpc.status_code', code);
  if (error) {
    span.setAttribute('error.type', error.errorType);
    span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
  }
  span.end();
}
