/** What the auth specs share: the service on a free port over a test store, with a clock they move. */
import { auth } from '@glasshouse/contracts';
import type { PromiseClient } from '@glasshouse/kit';
import { GrpcServer, ServiceMetrics, createClient, createLogger, migrate } from '@glasshouse/kit';
import type { TestStore } from '@glasshouse/kit/testing';
import { metricSample } from '@glasshouse/kit/testing';
import type { AuthConfig } from './index.js';
import { authMigrations, createAuthService } from './index.js';
import type { AuthRepository } from './repository.js';

export type AuthClient = PromiseClient<typeof auth.AuthServiceService>;

export const BOOTSTRAP_TOKEN = 'bootstrap-token-for-the-auth-specs-0123456789';
export const PASSWORD = 'correct horse battery staple';
export const START = new Date('2026-03-01T09:00:00.000Z');

/** Small limits, so a spec reaches them in a few attempts. */
export const TEST_CONFIG: AuthConfig = Object.freeze({
  sessionTtlMs: 60 * 60 * 1000,
  minPasswordLength: 8,
  lockout: Object.freeze({ accountFailures: 3, addressFailures: 5, windowMs: 10 * 60 * 1000 }),
  bootstrapToken: BOOTSTRAP_TOKEN,
});

/** A clock the spec moves by hand. */
export class TestClock {
  private at = START.getTime();
  readonly now = (): Date => new Date(this.at);
  advance(ms: number): void {
    this.at += ms;
  }
}

export interface RunningAuth {
  readonly client: AuthClient;
  /** host:port of the gRPC server. */
  readonly address: string;
  readonly metrics: ServiceMetrics;
  readonly repository: AuthRepository;
  readonly clock: TestClock;
  /** Every log line the service wrote. */
  readonly logLines: string[];
  /** A sample of /metrics, 0 when absent. */
  sample(name: string, labels: Record<string, string>): Promise<number>;
  stop(): Promise<void>;
}

/** The auth service as main.ts wires it, over `store` (migrated here), on a free port. */
export async function startAuth(store: TestStore, config: AuthConfig = TEST_CONFIG): Promise<RunningAuth> {
  await migrate(store.db, store.schema, authMigrations(store.schema));
  const metrics = new ServiceMetrics({ defaultMetrics: false });
  const logLines: string[] = [];
  const logger = createLogger({
    serviceName: 'auth-test',
    level: 'debug',
    destination: { write: (line: string) => void logLines.push(line) },
  });
  const clock = new TestClock();
  const server = new GrpcServer({ logger, metrics });
  const stops: (() => Promise<void> | void)[] = [];
  const { repository } = createAuthService(config, {
    server,
    database: store,
    logger,
    metrics,
    now: clock.now,
    addReadinessCheck: () => undefined,
    onShutdown: (_what, stop) => void stops.unshift(stop),
    client: () => {
      throw new Error('the auth service calls no other service');
    },
  });
  const port = await server.listen('127.0.0.1', 0);
  const address = `127.0.0.1:${port}`;
  const client = createClient(auth.AuthServiceClient, auth.AuthServiceService, {
    address,
    metrics,
    deadlineMs: 20_000,
  });
  return {
    client,
    address,
    metrics,
    repository,
    clock,
    logLines,
    async sample(name, labels) {
      const { body } = await metrics.scrape();
      return metricSample(body, name, labels) ?? 0;
    },
    async stop() {
      client.close();
      await server.shutdown(1000);
      for (const stop of stops) await stop();
    },
  };
}
