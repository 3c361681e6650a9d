import type { ServerUnaryCall, sendUnaryData, UntypedServiceImplementation } from '@grpc/grpc-js';
import { Server, ServerCredentials, status } from '@grpc/grpc-js';
import { context } from '@opentelemetry/api';
import { ReflectionService } from '@grpc/reflection';
import { HealthImplementation } from 'grpc-health-check';
import type { Logger } from 'pino';
import { protoPackageDefinition } from '@glasshouse/contracts';
import type { ServiceMetrics } from '../metrics.js';
import { observeDuration } from '../metrics.js';
import type { AnyMethod, Implementation, ServiceDefinition, UnaryHandler } from './definition.js';
import { fullMethodName, serviceNameOf } from './definition.js';
import { RpcError, STATUS_NAMES, invalidArgument } from './errors.js';
import { CHANNELZ_OFF } from './options.js';
import { MethodSpans, endCallSpan } from './tracing.js';

export interface GrpcServerOptions {
  logger: Logger;
  metrics: ServiceMetrics;
  /** Most bytes a request may have (DEFAULT_MAX_REQUEST_BYTES); larger ones are refused with RESOURCE_EXHAUSTED. */
  maxReceiveMessageBytes?: number;
}

type ServingStatus = 'SERVING' | 'NOT_SERVING';

/** No request of the shop comes near it (a 100-line order is a few KiB); larger ones are refused early. */
export const DEFAULT_MAX_REQUEST_BYTES = 1024 * 1024;

/** What a request that does not decode becomes, so the handler wrapper answers INVALID_ARGUMENT. */
const UNDECODABLE: object = Object.freeze({ undecodable: true });

// grpc-js answers a request its deserializer throws on with INTERNAL; the shop calls that bad input.
function tolerantDecoding(method: AnyMethod): AnyMethod {
  return {
    ...method,
    requestDeserialize: (bytes: Buffer): unknown => {
      try {
        return method.requestDeserialize(bytes);
      } catch {
        return UNDECODABLE;
      }
    },
  };
}

/**
 * A gRPC server with the standard health and reflection services, and handlers wrapped so
 * that every call is measured (rpc_server_call_duration_seconds with a trace exemplar) and
 * every error becomes a deliberate status: RpcError keeps its code, anything else is logged
 * and answered INTERNAL without its details.
 */
export class GrpcServer {
  private readonly server: Server;
  private readonly health = new HealthImplementation({ '': 'NOT_SERVING' });
  private readonly serviceNames: string[] = [];
  private port: number | undefined;

  constructor(private readonly options: GrpcServerOptions) {
    this.server = new Server({
      'grpc.max_receive_message_length': options.maxReceiveMessageBytes ?? DEFAULT_MAX_REQUEST_BYTES,
      ...CHANNELZ_OFF,
    });
    this.health.addToServer(this.server);
    new ReflectionService(protoPackageDefinition()).addToServer(this.server);
  }

  add<S extends ServiceDefinition>(definition: S, implementation: Implementation<S>): this {
    const handlers: UntypedServiceImplementation = {};
    const decoding: Record<string, AnyMethod> = {};
    for (const key of Object.keys(definition)) {
      const method = definition[key];
      const handler = implementation[key];
      if (!method || !handler) throw new Error(`no handler for ${key}`);
      handlers[key] = this.wrap(fullMethodName(method.path), handler);
      decoding[key] = tolerantDecoding(method);
    }
    this.server.addService(decoding, handlers);
    const name = serviceNameOf(definition);
    this.serviceNames.push(name);
    this.health.setStatus(name, 'NOT_SERVING');
    return this;
  }

  /** Binds and starts serving; returns the bound port (useful with port 0 in tests). */
  async listen(host: string, port: number): Promise<number> {
    this.port = await new Promise<number>((resolve, reject) => {
      this.server.bindAsync(`${host}:${port}`, ServerCredentials.createInsecure(), (error, bound) =>
        error ? reject(error) : resolve(bound),
      );
    });
    this.setServing('SERVING');
    return this.port;
  }

  get boundPort(): number | undefined {
    return this.port;
  }

  setServing(state: ServingStatus): void {
    this.health.setStatus('', state);
    for (const name of this.serviceNames) this.health.setStatus(name, state);
  }

  /** Stops accepting calls, lets in-flight ones finish for up to graceMs, then cancels the rest. */
  async shutdown(graceMs = 5000): Promise<void> {
    this.setServing('NOT_SERVING');
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.server.forceShutdown();
        resolve();
      }, graceMs);
      this.server.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private wrap<Req, Res>(
    method: string,
    handler: UnaryHandler<Req, Res>,
  ): (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>) => void {
    const { logger, metrics } = this.options;
    const spans = new MethodSpans(method);
    const okLabels = { rpc_system: 'grpc', rpc_method: method, rpc_grpc_status_code: 'OK' };
    return (call, callback) => {
      const start = process.hrtime.bigint();
      const { span, context: traced } = spans.startServer(call.metadata);
      const finish = (code: status, error?: RpcError): void => {
        endCallSpan(span, code, error);
        const labels = error
          ? {
              ...okLabels,
              rpc_grpc_status_code: STATUS_NAMES[code] ?? String(code),
              error_type: error.errorType,
            }
          : okLabels;
        const seconds = Number(process.hrtime.bigint() - start) / 1e9;
        observeDuration(metrics.rpcServerDuration, labels, seconds, span);
        logger.debug(
          { 'rpc.method': method, 'rpc.grpc.status_code': labels.rpc_grpc_status_code, duration_s: seconds },
          'call served',
        );
      };
      const callContext = { method, metadata: call.metadata, deadline: call.getDeadline(), logger };
      const answer = (response: Res): void => {
        finish(status.OK);
        callback(null, response);
      };
      const refuse = (thrown: unknown): void => {
        const error = RpcError.from(thrown);
        if (error.code === status.INTERNAL || error.code === status.UNKNOWN) {
          logger.error({ err: thrown, 'rpc.method': method }, 'call failed');
        }
        finish(error.code, error);
        callback(error.toServiceError());
      };
      // The handler starts in the call's context; a plain value or a throw is answered at
      // once, without the promises a chain would make on every call.
      context.with(traced, () => {
        let result: Promise<Res> | Res;
        try {
          if ((call.request as unknown) === UNDECODABLE)
            throw invalidArgument(`request: not a valid message for ${method}`);
          result = handler(call.request, callContext);
        } catch (thrown) {
          refuse(thrown);
          return;
        }
        if (result instanceof Promise) result.then(answer, refuse);
        else answer(result);
      });
    };
  }
}
