export type { ReadinessCheck } from './admin.js';
export { liveness, readiness } from './admin.js';
export type { EnvReader, Environment } from './config.js';
export { declarationOf } from './configuration.js';
export { ConfigError, envReader } from './config.js';
export type { Database, Migration, Queryable } from './database.js';
export { migrate, openDatabase } from './database.js';
export type { CallOptions, PromiseClient } from './grpc/client.js';
export { createClient } from './grpc/client.js';
export type { CallContext, Implementation, ServiceDefinition } from './grpc/definition.js';
export {
  RpcError,
  STATUS_NAMES,
  failedPrecondition,
  invalidArgument,
  isServiceError,
  notFound,
  unavailable,
} from './grpc/errors.js';
export { GrpcServer } from './grpc/server.js';
export type { AuditRecord, FlagControlOptions } from './flags/control.js';
export { FlagAccessError, FlagControl, ensureAdminToken } from './flags/control.js';
export type { Fault } from './flags/faults.js';
export {
  burning,
  collectGarbage,
  delaying,
  failing,
  internalFault,
  leaking,
  unavailableFault,
  withFaults,
} from './flags/faults.js';
export type { FeatureFlags, FlagSource } from './flags/feature-flags.js';
export { FixedFeatureFlags, flagSourceFrom } from './flags/feature-flags.js';
export type { FlagsDocument, ScenarioSetting, ScenarioValues } from './flags/flags-file.js';
export {
  FlagInputError,
  allOffDocument,
  checkValues,
  defaultValues,
  parseFlagsDocument,
  renderFlagsDocument,
  scenarioNamed,
  settingOf,
  withSetting,
} from './flags/flags-file.js';
export type { ScenarioName, ScenarioParameter, ScenarioSpec } from './flags/scenarios.js';
export { SCENARIOS, SCENARIO_NAMES, isScenarioName, scenarioSpec } from './flags/scenarios.js';
export { markdownTable } from './markdown-table.js';
export type { Logger } from './logging.js';
export { createLogger } from './logging.js';
export { ServiceMetrics, observeDuration, secondsSince } from './metrics.js';
export { findCardNumbers, maskEmail, passesLuhn, redactFields } from './redaction.js';
export type { ShopApi, ShopClientsOf } from './shop-apis.js';
export { shopClientsOf } from './shop-apis.js';
export {
  EMAIL_ADDRESS,
  IDEMPOTENCY_KEY_HEADER,
  PRODUCT_ID,
  PRODUCT_ID_MAX_LENGTH,
  RECORD_ID,
  quantitiesLeft,
  storableTextProblem,
} from './shop-rules.js';
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
  readRpcDeadlineMs,
  runGrpcService,
  startAdmin,
} from './service.js';
export type { ServiceName, ServiceSpec } from './services.js';
export { SERVICES, addressVariable, adminAddressVariable, serviceSpec, startOrder } from './services.js';
export type { Tracing } from './telemetry/tracing.js';
export { startTracing } from './telemetry/tracing.js';
export type { SpanRunner } from './telemetry/spans.js';
export { spanRunner } from './telemetry/spans.js';
export { defaultInstrumentations } from './telemetry/instrumentations.js';
export { createTracedServer } from './telemetry/http-server.js';
export { SYNTHETIC_ATTRIBUTE, SYNTHETIC_BAGGAGE_KEY } from './telemetry/baggage.js';
export { STOP_MESSAGE } from './thread.js';
