import type { Metadata } from '@grpc/grpc-js';
import type { Logger } from 'pino';

/** One unary method of a generated service definition (ts-proto's `XxxService` objects). */
export interface UnaryMethod<Req, Res> {
  readonly path: string;
  readonly requestStream: false;
  readonly responseStream: false;
  readonly requestSerialize: (value: Req) => Buffer;
  readonly requestDeserialize: (value: Buffer) => Req;
  readonly responseSerialize: (value: Res) => Buffer;
  readonly responseDeserialize: (value: Buffer) => Res;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- variance: any request/response type fits
export type AnyMethod = UnaryMethod<any, any>;
export type ServiceDefinition = Readonly<Record<string, AnyMethod>>;

export type RequestOf<M> = M extends { requestDeserialize: (value: Buffer) => infer Req } ? Req : never;
export type ResponseOf<M> = M extends { responseDeserialize: (value: Buffer) => infer Res } ? Res : never;

/** What a handler gets besides the request. */
export interface CallContext {
  readonly method: string;
  readonly metadata: Metadata;
  readonly deadline: Date | number;
  readonly logger: Logger;
}

export type UnaryHandler<Req, Res> = (request: Req, call: CallContext) => Promise<Res> | Res;

/** A service implementation: one async handler per method of the definition. */
export type Implementation<S extends ServiceDefinition> = {
  readonly [K in keyof S]: UnaryHandler<RequestOf<S[K]>, ResponseOf<S[K]>>;
};

/** `/hipstershop.CurrencyService/Convert` → `hipstershop.CurrencyService/Convert` (rpc.method). */
export function fullMethodName(path: string): string {
  return path.startsWith('/') ? path.slice(1) : path;
}

/** `/hipstershop.CurrencyService/Convert` → `hipstershop.CurrencyService`. */
export function serviceNameOf(definition: ServiceDefinition): string {
  const first = Object.values(definition)[0];
  if (!first) throw new Error('empty service definition');
  return fullMethodName(first.path).split('/')[0] ?? '';
}
