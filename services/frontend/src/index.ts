import type { FastifyInstance } from 'fastify';
import { hipstershop, orders } from '@glasshouse/contracts';
import type { EnvReader, ReadinessCheck, ServiceClientFactory, ServiceRuntime } from '@glasshouse/kit';
import { buildFrontend } from './app.js';
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
 * not. No page renders without the catalog, prices or the cart: the frontend is not ready
 * while one of them is down.
 */
export function frontendBackends(client: ServiceClientFactory): Backends {
  const reads = { idempotent: true };
  const essentialReads = { idempotent: true, required: true };
  return {
    catalog: client(
      hipstershop.ProductCatalogServiceClient,
      hipstershop.ProductCatalogServiceService,
      'productcatalog',
      essentialReads,
    ),
    currency: client(
      hipstershop.CurrencyServiceClient,
      hipstershop.CurrencyServiceService,
      'currency',
      essentialReads,
    ),
    cart: client(hipstershop.CartServiceClient, hipstershop.CartServiceService, 'cart', { required: true }),
    shipping: client(
      hipstershop.ShippingServiceClient,
      hipstershop.ShippingServiceService,
      'shipping',
      reads,
    ),
    checkout: client(hipstershop.CheckoutServiceClient, hipstershop.CheckoutServiceService, 'checkout'),
    orders: client(orders.OrderServiceClient, orders.OrderServiceService, 'orders', reads),
    recommendation: client(
      hipstershop.RecommendationServiceClient,
      hipstershop.RecommendationServiceService,
      'recommendation',
      reads,
    ),
    ad: client(hipstershop.AdServiceClient, hipstershop.AdServiceService, 'ad', reads),
  };
}

export interface FrontendDependencies extends ServiceRuntime {
  readonly readinessChecks?: readonly ReadinessCheck[];
  /** What the pages call; by default `frontendBackends(client)`. */
  readonly backends?: Backends;
}

/** The shop's HTTP app over the services it calls. Opens no port: the caller listens or injects. */
export function createFrontend(config: FrontendConfig, deps: FrontendDependencies): FastifyInstance {
  return buildFrontend({
    backends: deps.backends ?? frontendBackends(deps.client),
    logger: deps.logger,
    metrics: deps.metrics,
    ...(deps.readinessChecks ? { readinessChecks: deps.readinessChecks } : {}),
    defaultCurrency: config.defaultCurrency,
  });
}
