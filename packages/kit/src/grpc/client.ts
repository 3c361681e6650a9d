import type { ChannelOptions, Client, ClientOptions, ServiceError } from '@grpc/grpc-js';
import { Metadata, credentials } from '@grpc/grpc-js';
import type { Attributes } from '@opentelemetry/api';
import { context, trace } from '@opentelemetry/api';
import type { ServiceMetrics } from '../metrics.js';
import { observeDuration } from '../metrics.js';
import type { RequestOf, ResponseOf, ServiceDefinition } from './definition.js';
import { fullMethodName, serviceNameOf } from './definition.js';
import { STATUS_NAMES } from './errors.js';
import { CHANNELZ_OFF } from './options.js';
import { MethodSpans, endCallSpan } from './tracing.js';

export interface CallOptions {
  /** Overrides the client's default deadline for this call. */
  deadlineMs?: number;
  metadata?: Metadata;
}

/** A generated client turned into async methods with deadlines and measurements. */
export type PromiseClient<S extends ServiceDefinition> = {
  readonly [K in keyof S]: (request: RequestOf<S[K]>, options?: CallOptions) => Promise<ResponseOf<S[K]>>;
} & { close(): void };

export interface ClientConfig {
  /** host:port */
  address: string;
  metrics: ServiceMetrics;
  /** Every call gets a deadline: this one unless the call says otherwise. */
  deadlineMs: number;
  /**
   * The methods are safe to repeat (reads): let grpc-js retry UNAVAILABLE with exponential
   * backoff and jitter, at most three attempts within the deadline.
   */
  idempotent?: boolean;
}

type GeneratedClientConstructor = new (
  address: string,
  channelCredentials: ReturnType<typeof credentials.createInsecure>,
  options?: Partial<ClientOptions>,
) => Client;

type Callback = (error: ServiceError | null, response?: unknown) => void;
type RawMethod = (
  request: unknown,
  metadata: Metadata,
  options: { deadline: number },
  callback: Callback,
) => unknown;

function retryServiceConfig(serviceName: string): string {
  return JSON.stringify({
    methodConfig: [
      {
        name: [{ service: serviceName }],
        retryPolicy: {
          maxAttempts: 3,
          initialBackoff: '0.05s',
          maxBackoff: '0.5s',
          backoffMultiplier: 2,
          retryableStatusCodes: ['UNAVAILABLE'],
        },
      },
    ],
  });
}

/** server.address and server.port of a `host:port` target, as the gRPC instrumentation sets them. */
function serverAttributes(address: string): Attributes {
  const colon = address.lastIndexOf(':');
  const port = Number(address.slice(colon + 1));
  if (colon < 0 || !Number.isInteger(port)) return { 'server.address': address };
  return { 'server.address': address.slice(0, colon).replace(/^\[|\]$/g, ''), 'server.port': port };
}

/**
 * Wraps a generated client so that each method returns a promise, always carries a deadline,
 * makes a client span whose trace context travels in the metadata, and records
 * rpc_client_call_duration_seconds with the caller's span as exemplar.
 */
export function createClient<S extends ServiceDefinition>(
  Constructor: GeneratedClientConstructor,
  definition: S,
  config: ClientConfig,
): PromiseClient<S> {
  const channelOptions: ChannelOptions = {
    ...CHANNELZ_OFF,
    'grpc.keepalive_time_ms': 30_000,
    'grpc.enable_retries': config.idempotent ? 1 : 0,
  };
  if (config.idempotent)
    channelOptions['grpc.service_config'] = retryServiceConfig(serviceNameOf(definition));
  const raw = new Constructor(config.address, credentials.createInsecure(), channelOptions);
  const methods = raw as unknown as Record<string, RawMethod>;
  const client: Record<string, unknown> = { close: () => raw.close() };
  const server = serverAttributes(config.address);
  for (const [key, method] of Object.entries(definition)) {
    const rpcMethod = fullMethodName(method.path);
    const invoke = methods[key]?.bind(raw);
    if (!invoke) throw new Error(`generated client has no method ${key}`);
    const spans = new MethodSpans(rpcMethod, server);
    const okLabels = { rpc_system: 'grpc', rpc_method: rpcMethod, rpc_grpc_status_code: 'OK' };
    client[key] = (request: unknown, options: CallOptions = {}) =>
      new Promise((resolve, reject) => {
        const start = process.hrtime.bigint();
        const caller = context.active();
        const metadata = options.metadata ?? new Metadata();
        const span = spans.startClient(caller, metadata);
        const deadline = Date.now() + (options.deadlineMs ?? config.deadlineMs);
        invoke(request, metadata, { deadline }, (error, response) => {
          const seconds = Number(process.hrtime.bigint() - start) / 1e9;
          if (error) {
            const status = STATUS_NAMES[error.code] ?? String(error.code);
            const errorType = STATUS_NAMES[error.code] ?? 'UNKNOWN';
            endCallSpan(span, error.code, { message: error.message, errorType });
            const labels = { ...okLabels, rpc_grpc_status_code: status, error_type: errorType };
            observeDuration(config.metrics.rpcClientDuration, labels, seconds, trace.getSpan(caller));
            reject(error);
          } else {
            endCallSpan(span, 0);
            observeDuration(config.metrics.rpcClientDuration, okLabels, seconds, trace.getSpan(caller));
            resolve(response);
          }
        });
      });
  }
  return client as PromiseClient<S>;
}
