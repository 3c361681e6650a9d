import { propagation, trace } from '@opentelemetry/api';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { W3CBaggagePropagator, W3CTraceContextPropagator, CompositePropagator } from '@opentelemetry/core';
import { OTLPTraceExporter as OTLPJsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OTLPProtobufTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { BatchSpanProcessor, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { randomUUID } from 'node:crypto';
import type { Environment } from '../config.js';
import { envReader } from '../config.js';
import { SyntheticTrafficSpanProcessor } from './baggage.js';
import type { SpanExportTally } from './span-export.js';
import { CountedSpanExporter } from './span-export.js';

export const SERVICE_NAMESPACE = 'glasshouse';

export interface TracingOptions {
  serviceName: string;
  serviceVersion?: string;
  environment?: Environment;
  /** Extra exporters (tests use an in-memory one); exported synchronously, span by span. */
  exporters?: SpanExporter[];
  instrumentations?: Instrumentation[];
}

export interface Tracing {
  readonly serviceName: string;
  readonly exporting: boolean;
  /** Spans the OTLP exporter delivered and lost; zero without an endpoint. */
  readonly spanExports?: SpanExportTally;
  /** Makes the OTLP exporter lose every batch while `refuses()` says so (the trace-export-failure scenario). */
  refuseExportsWhile?(refuses: () => boolean): void;
  forceFlush(): Promise<void>;
  /** Flushes and stops; calling it again does nothing. */
  shutdown(): Promise<void>;
}

/** Resource attributes shared by every signal of a process, as docs/telemetry.md lists them. */
export function resourceAttributes(
  serviceName: string,
  serviceVersion: string,
  env: Environment,
): Record<string, string> {
  const read = envReader(env);
  return {
    'service.name': serviceName,
    'service.namespace': SERVICE_NAMESPACE,
    'service.version': serviceVersion,
    'service.instance.id': read.string('SERVICE_INSTANCE_ID', randomUUID()),
    'deployment.environment.name': read.string('DEPLOYMENT_ENVIRONMENT', 'local'),
  };
}

/** The OTLP/HTTP encodings the kit exports in (OTEL_EXPORTER_OTLP_[TRACES_]PROTOCOL). */
const OTLP_PROTOCOLS = ['http/protobuf', 'http/json'] as const;
type OtlpProtocol = (typeof OTLP_PROTOCOLS)[number];

/** The encoding spans are exported in: protobuf, as the OTLP specification defaults to, or JSON. */
function otlpProtocol(env: Environment): OtlpProtocol {
  const read = envReader(env);
  return read.optionalString('OTEL_EXPORTER_OTLP_TRACES_PROTOCOL')
    ? read.oneOf('OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', OTLP_PROTOCOLS, 'http/protobuf')
    : read.oneOf('OTEL_EXPORTER_OTLP_PROTOCOL', OTLP_PROTOCOLS, 'http/protobuf');
}

/**
 * Starts the OpenTelemetry tracer provider: W3C trace context and baggage, the sampler from
 * the standard OTEL_TRACES_SAMPLER variables, OTLP/HTTP export when OTEL_EXPORTER_OTLP_ENDPOINT
 * (or the traces-specific variable) is set. Instrumentations must be started before the
 * libraries they patch are loaded.
 *
 * Spans go out as protobuf unless the protocol variable asks for http/json: a third of the
 * bytes of JSON (110 KB instead of 310 KB per batch of the home page's spans).
 */
export function startTracing(options: TracingOptions): Tracing {
  const env = options.environment ?? process.env;
  const read = envReader(env);
  const endpoint =
    read.optionalString('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT') ??
    read.optionalString('OTEL_EXPORTER_OTLP_ENDPOINT');
  let spanExports: SpanExportTally = { exported: 0, failed: 0 };
  let counted: CountedSpanExporter | undefined;
  const processors: SpanProcessor[] = [
    new SyntheticTrafficSpanProcessor(),
    ...(options.exporters ?? []).map((e) => new SimpleSpanProcessor(e)),
  ];
  if (endpoint) {
    // The exporters read the endpoint, headers, timeout and compression variables themselves,
    // the batch processor its OTEL_BSP_* ones.
    counted = new CountedSpanExporter(
      otlpProtocol(env) === 'http/json' ? new OTLPJsonTraceExporter() : new OTLPProtobufTraceExporter(),
    );
    spanExports = counted.tally;
    processors.push(new BatchSpanProcessor(counted));
  }
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes(
      resourceAttributes(options.serviceName, options.serviceVersion ?? '0.1.0', env),
    ),
    spanProcessors: processors,
  });
  provider.register({
    propagator: new CompositePropagator({
      propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
    }),
  });
  const unregister = registerInstrumentations({
    tracerProvider: provider,
    instrumentations: options.instrumentations ?? [],
  });
  let stopped: Promise<void> | undefined;
  return {
    serviceName: options.serviceName,
    exporting: Boolean(endpoint) || (options.exporters ?? []).length > 0,
    spanExports,
    refuseExportsWhile(refuses) {
      if (counted) counted.refuses = refuses;
    },
    forceFlush: () => provider.forceFlush(),
    shutdown() {
      stopped ??= (async () => {
        await provider.forceFlush();
        await provider.shutdown();
        unregister();
        trace.disable();
        propagation.disable();
      })();
      return stopped;
    },
  };
}

const PROCESS_TRACING = Symbol.for('glasshouse.tracing');
type TracingHolder = { [PROCESS_TRACING]?: Tracing };

/** Remembers the tracing started by `@glasshouse/kit/register`, so shutdown can flush it. */
export function setProcessTracing(tracing: Tracing): void {
  (globalThis as TracingHolder)[PROCESS_TRACING] = tracing;
}

/** The tracing of this process, when `@glasshouse/kit/register` started one. */
export function processTracing(): Tracing | undefined {
  return (globalThis as TracingHolder)[PROCESS_TRACING];
}
