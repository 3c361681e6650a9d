import type { FastifyInstance } from 'fastify';
import type { EnvReader, ReadinessCheck, ServiceClientFactory, ServiceRuntime } from '@glasshouse/kit';
import { shopClientsOf } from '@glasshouse/kit';
import { buildFrontend } from './app.js';
import { addRouteFaults } from './faults.js';
import type { Backends } from './backends.js';

export type { FrontendOptions } from './app.js';
export { buildFrontend } from './app.js';
export type { Backends } from './backends.js';

export interface FrontendConfig {
  /** The currency of a shopper who has not chosen one. */
  readonly defaultCurrency: string;
}

export function readFrontendConfig(env: EnvReader): FrontendConfig {
  return Object.freeze({ defaultCurrency: env.string('DEFAULT_CURRENCY', 'USD') });
}

/**
 * Clients of the services the pages call; every read may be retried, cart and checkout writes
 * not. No page renders without the catalog and prices: the frontend is not ready while either
 * is down (the rest degrade to an error on the page that needs them).
 */
export function frontendBackends(client: ServiceClientFactory): Backends {
  const read = { idempotent: true };
  const essentialRead = { idempotent: true, required: true };
  return shopClientsOf(client, {
    catalog: essentialRead,
    currency: essentialRead,
    cart: {},
    shipping: read,
    checkout: {},
    orders: read,
    recommendation: read,
    ad: read,
  });
}

export interface FrontendDependencies extends ServiceRuntime {
  readonly readinessChecks?: readonly ReadinessCheck[];
  /** What the pages call; by default `frontendBackends(client)`. */
  readonly backends?: Backends;
}

/** The shop's HTTP app over the services it calls. Opens no port: the caller listens or injects. */
export function createFrontend(config: FrontendConfig, deps: FrontendDependencies): FastifyInstance {
  const app = buildFrontend({
    backends: deps.backends ?? frontendBackends(deps.client),
    logger: deps.logger,
    metrics: deps.metrics,
    ...(deps.readinessChecks ? { readinessChecks: deps.readinessChecks } : {}),
    defaultCurrency: config.defaultCurrency,
  });
  addRouteFaults(app, deps.flags);
  return app;
}
