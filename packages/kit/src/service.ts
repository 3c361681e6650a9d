import type { Client, ClientOptions, credentials } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import type { ReadinessCheck } from './admin.js';
import { AdminServer } from './admin.js';
import type { EnvReader } from './config.js';
import { ConfigError, envReader } from './config.js';
import type { PromiseClient } from './grpc/client.js';
import { createClient } from './grpc/client.js';
import type { ServiceDefinition } from './grpc/definition.js';
import { GrpcServer } from './grpc/server.js';
import { Lifecycle } from './lifecycle.js';
import type { FeatureFlags } from './flags/feature-flags.js';
import { openFeatureFlags } from './flags/feature-flags.js';
import { createLogger } from './logging.js';
import { ServiceMetrics } from './metrics.js';
import type { ServiceName } from './services.js';
import { addressVariable, adminAddressVariable, serviceSpec } from './services.js';
import { processTracing } from './telemetry/tracing.js';
import { acceptsConnections } from './reachable.js';
import { nameThisThread } from './thread.js';

/** How long /readyz waits for a required dependency to accept a connection. */
const DEPENDENCY_PROBE_MS = 1000;

type GeneratedClientConstructor = new (
  address: string,
  channelCredentials: ReturnType<typeof credentials.createInsecure>,
  options?: Partial<ClientOptions>,
) => Client;

export interface ServiceClientOptions {
  /** The methods are reads, safe to retry. */
  readonly idempotent?: boolean;
  readonly deadlineMs?: number;
  /** The service cannot work without this one: /readyz fails while it accepts no connections. */
  readonly required?: boolean;
}

/** Makes a client of another service by its name in the table. */
export type ServiceClientFactory = <S extends ServiceDefinition>(
  Constructor: GeneratedClientConstructor,
  definition: S,
  target: ServiceName,
  options?: ServiceClientOptions,
) => PromiseClient<S>;

/**
 * What a service's wiring is built with, whether main.ts runs it or a test shop hosts it:
 * its logger and metrics, its readiness checks, clients of the services it calls, and a
 * place to register what must stop with it.
 */
export interface ServiceRuntime {
  readonly logger: Logger;
  readonly metrics: ServiceMetrics;
  /** /readyz fails while this check fails. */
  readonly addReadinessCheck: (check: ReadinessCheck) => void;
  /** Registers something to stop with the service; later registrations stop first. */
  readonly onShutdown: (what: string, stop: () => Promise<void> | void) => void;
  readonly client: ServiceClientFactory;
  /** The failure scenarios switched on (issue 19); absent means every one is off. */
  readonly flags?: FeatureFlags;
}

/** Everything a service's setup needs, built once by the kit. */
export interface ServiceContext extends ServiceRuntime {
  readonly name: ServiceName;
  readonly env: EnvReader;
  readonly lifecycle: Lifecycle;
  readonly readinessChecks: readonly ReadinessCheck[];
  readonly flags: FeatureFlags;
  /** A client of another service, at <SERVICE>_ADDR, with the default deadline (RPC_DEADLINE_MS). */
  readonly client: ServiceClientFactory;
}

/** Where another service is reached: <NAME>_ADDR, or localhost on its default port. */
export function dependencyAddress(env: EnvReader, target: ServiceName): string {
  const { host, port } = env.address(addressVariable(target), {
    host: '127.0.0.1',
    port: serviceSpec(target).port,
  });
  return `${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
}

/** The deadline of a call to another service whose client names none (RPC_DEADLINE_MS). */
export function readRpcDeadlineMs(env: EnvReader): number {
  return env.int('RPC_DEADLINE_MS', 2000, { min: 1 });
}

/** Builds the shared context; the caller starts listening. Fails with ConfigError on bad env. */
export function createServiceContext(name: ServiceName, environment = process.env): ServiceContext {
  const env = envReader(environment);
  nameThisThread(name);
  const logger = createLogger({ serviceName: name, level: env.string('LOG_LEVEL', 'info') });
  const metrics = new ServiceMetrics();
  const tracing = processTracing();
  if (tracing?.spanExports) metrics.watchSpanExport(tracing.spanExports);
  const lifecycle = new Lifecycle(logger, tracing);
  const checks: ReadinessCheck[] = [];
  const deadlineMs = readRpcDeadlineMs(env);
  const flags = openFeatureFlags(env, logger, metrics);
  lifecycle.onShutdown('feature flags', () => flags.close());
  processTracing()?.refuseExportsWhile?.(
    () =>
      flags.flags.isOn('trace-export-failure') &&
      Math.random() < flags.flags.number('trace-export-failure', 'rate', 1),
  );
  return {
    flags: flags.flags,
    name,
    env,
    logger,
    metrics,
    lifecycle,
    addReadinessCheck: (check) => checks.push(check),
    onShutdown: (what, stop) => lifecycle.onShutdown(what, stop),
    client(Constructor, definition, target, options = {}) {
      const address = dependencyAddress(env, target);
      if (options.required && !checks.some((c) => c.name === target)) {
        checks.push({ name: target, check: () => acceptsConnections(address, DEPENDENCY_PROBE_MS) });
      }
      const client = createClient(Constructor, definition, {
        address,
        metrics,
        deadlineMs: options.deadlineMs ?? deadlineMs,
        idempotent: options.idempotent ?? false,
      });
      lifecycle.onShutdown(`${target} client`, () => client.close());
      return client;
    },
    readinessChecks: checks,
  };
}

/** Starts the admin endpoint (/metrics, /healthz, /readyz) of a service and registers its shutdown. */
export async function startAdmin(
  context: ServiceContext,
  port = serviceSpec(context.name).adminPort,
): Promise<AdminServer> {
  const admin = new AdminServer({ metrics: context.metrics, checks: context.readinessChecks });
  const address = context.env.address(adminAddressVariable(context.name), { host: '0.0.0.0', port });
  const bound = await admin.listen(address.host, address.port);
  context.lifecycle.onShutdown('admin endpoint', () => admin.close());
  context.logger.info({ 'server.port': bound }, 'admin endpoint listening');
  return admin;
}

/** Logs why startup failed and exits: 2 for a configuration error, 1 otherwise. */
export function exitOnStartupFailure(name: string, error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(
    `${JSON.stringify({ level: 'fatal', 'service.name': name, message: `startup failed: ${message}` })}\n`,
  );
  process.exit(error instanceof ConfigError ? 2 : 1);
}

/**
 * The composition every gRPC service shares: context, setup (stores, handlers), then the gRPC
 * port and the admin port, signal handling and graceful shutdown. Returns once serving.
 */
export async function runGrpcService(
  name: ServiceName,
  setup: (context: ServiceContext, server: GrpcServer) => Promise<void> | void,
): Promise<void> {
  try {
    const context = createServiceContext(name);
    context.lifecycle.installSignalHandlers();
    const server = new GrpcServer({ logger: context.logger, metrics: context.metrics });
    await setup(context, server);
    const address = context.env.address(addressVariable(name), {
      host: '0.0.0.0',
      port: serviceSpec(name).port,
    });
    const port = await server.listen(address.host, address.port);
    context.lifecycle.onShutdown('grpc server', () => server.shutdown());
    const admin = await startAdmin(context);
    // Runs first on shutdown: readiness fails before the port closes, so traffic moves away.
    context.lifecycle.onShutdown('readiness', () => admin.drain());
    context.logger.info({ 'server.port': port, 'rpc.system': 'grpc' }, 'serving');
  } catch (error) {
    exitOnStartupFailure(name, error);
  }
}
