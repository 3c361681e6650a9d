import type { ChannelOptions, Client, ClientOptions, ServiceError } from '@grpc/grpc-js';
import { Metadata, credentials, status } from '@grpc/grpc-js';
import { trace } from '@opentelemetry/api';
import type { ServiceMetrics } from '../metrics.js';
import { observeDuration } from '../metrics.js';
import type { RequestOf, ResponseOf, ServiceDefinition } from './definition.js';
import { fullMethodName, serviceNameOf } from './definition.js';
import { STATUS_NAMES } from './errors.js';

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

/**
 * Wraps a generated client (which the gRPC instrumentation traces and propagates context
 * through) so that each method returns a promise, always carries a deadline, and records
 * rpc_client_call_duration_seconds with the caller's span as exemplar.
 */
export function createClient<S extends ServiceDefinition>(
  Constructor: GeneratedClientConstructor,
  definition: S,
  config: ClientConfig,
): PromiseClient<S> {
  const channelOptions: ChannelOptions = {
    'grpc.keepalive_time_ms': 30_000,
    'grpc.enable_retries': config.idempotent ? 1 : 0,
  };
  if (config.idempotent)
    channelOptions['grpc.service_config'] = retryServiceConfig(serviceNameOf(definition));
  const raw = new Constructor(config.address, credentials.createInsecure(), channelOptions);
  const methods = raw as unknown as Record<string, RawMethod>;
  const client: Record<string, unknown> = { close: () => raw.close() };
  for (const [key, method] of Object.entries(definition)) {
    const rpcMethod = fullMethodName(method.path);
    const invoke = methods[key]?.bind(raw);
    if (!invoke) throw new Error(`generated client has no method ${key}`);
    client[key] = (request: unknown, options: CallOptions = {}) =>
      new Promise((resolve, reject) => {
        const start = process.hrtime.bigint();
        const span = trace.getActiveSpan();
        const deadline = Date.now() + (options.deadlineMs ?? config.deadlineMs);
        invoke(request, options.metadata ?? new Metadata(), { deadline }, (error, response) => {
          const code = error ? error.code : status.OK;
          const labels = {
            rpc_system: 'grpc',
            rpc_method: rpcMethod,
            rpc_grpc_status_code: STATUS_NAMES[code] ?? String(code),
          };
          const seconds = Number(process.hrtime.bigint() - start) / 1e9;
          observeDuration(
            config.metrics.rpcClientDuration,
            error ? { ...labels, error_type: STATUS_NAMES[code] ?? 'UNKNOWN' } : labels,
            seconds,
            span,
          );
          if (error) reject(error);
          else resolve(response);
        });
      });
  }
  return client as PromiseClient<S>;
}
