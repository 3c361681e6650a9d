export type { AdminServerOptions, ProbeResult, ReadinessCheck } from './admin.js';
export { AdminServer, liveness, readiness } from './admin.js';
export type { EnvReader, Environment } from './config.js';
export type { VariableDeclaration, VariableReader } from './configuration.js';
export { VARIABLES, declarationOf, renderConfigurationDoc } from './configuration.js';
export { ConfigError, envReader } from './config.js';
export type { Database, DatabaseOptions, Migration, Queryable } from './database.js';
export { describeQuery, migrate, openDatabase } from './database.js';
export type { CallOptions, ClientConfig, PromiseClient } from './grpc/client.js';
export { createClient } from './grpc/client.js';
export type { CallContext, Implementation, ServiceDefinition, UnaryHandler } from './grpc/definition.js';
export { fullMethodName } from './grpc/definition.js';
export {
  RpcError,
  STATUS_NAMES,
  failedPrecondition,
  invalidArgument,
  isServiceError,
  notFound,
  unavailable,
} from './grpc/errors.js';
export type { GrpcServerOptions } from './grpc/server.js';
export { GrpcServer } from './grpc/server.js';
export { Lifecycle } from './lifecycle.js';
export { markdownTable } from './markdown-table.js';
export type { Logger, LoggerConfig } from './logging.js';
export { createLogger } from './logging.js';
export type { DbLabels, HttpServerLabels, RpcLabels } from './metrics.js';
export { DURATION_BUCKETS, ServiceMetrics, exemplarOf, observeDuration, secondsSince } from './metrics.js';
export { REDACTED, SECRET_KEYS, findCardNumbers, maskEmail, passesLuhn, scrubText } from './redaction.js';
export { EMAIL_ADDRESS, IDEMPOTENCY_KEY_HEADER, PRODUCT_ID, PRODUCT_ID_MAX_LENGTH } from './shop-rules.js';
export type { ServiceDatabase } from './service-database.js';
export { openServiceDatabase } from './service-database.js';
export type {
  ServiceClientFactory,
  ServiceClientOptions,
  ServiceContext,
  ServiceRuntime,
} from './service.js';
export {
  createServiceContext,
  dependencyAddress,
  exitOnStartupFailure,
  runGrpcService,
  startAdmin,
} from './service.js';
export type { ServiceName, ServiceSpec, ServiceStore } from './services.js';
export { SERVICES, addressVariable, adminAddressVariable, serviceSpec, startOrder } from './services.js';
export type { Tracing, TracingOptions } from './telemetry/tracing.js';
export { SERVICE_NAMESPACE, processTracing, resourceAttributes, startTracing } from './telemetry/tracing.js';
export { defaultInstrumentations } from './telemetry/instrumentations.js';
export { createTracedServer, tracedRequestListener } from './telemetry/http-server.js';
export {
  SYNTHETIC_ATTRIBUTE,
  SYNTHETIC_BAGGAGE_KEY,
  SyntheticTrafficSpanProcessor,
  isSynthetic,
} from './telemetry/baggage.js';
export { STOP_MESSAGE, inServiceThread, isStopMessage } from './thread.js';
