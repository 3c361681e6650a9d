import { checkout, hipstershop } from '@glasshouse/contracts';
import type { EnvReader, GrpcServer, ServiceClientFactory, ServiceRuntime } from '@glasshouse/kit';
import { shopClientsOf } from '@glasshouse/kit';
import type { CheckoutDependencies } from './dependencies.js';
import { refundService } from './refund-service.js';
import { checkoutService } from './server.js';

export type { CheckoutDependencies } from './dependencies.js';

export interface CheckoutConfig {
  /** How long the confirmation email may take; past it the order stands without one. */
  readonly emailDeadlineMs: number;
}

export function readCheckoutConfig(env: EnvReader): CheckoutConfig {
  return Object.freeze({ emailDeadlineMs: env.int('CHECKOUT_EMAIL_DEADLINE_MS', 1000, { min: 1 }) });
}

/**
 * Clients of every service checkout calls; reads may be retried, writes are not. Checkout is not
 * ready while one it cannot place an order without is down; a confirmation email is optional.
 */
export function checkoutClients(client: ServiceClientFactory): CheckoutDependencies {
  const read = { idempotent: true, required: true };
  const write = { required: true };
  return shopClientsOf(client, {
    cart: write,
    catalog: read,
    currency: read,
    shipping: write,
    payment: write,
    chargeReversal: write,
    email: {},
    orders: write,
    inventory: write,
  });
}

export interface CheckoutServiceDependencies extends ServiceRuntime {
  readonly server: GrpcServer;
  /** What checkout calls; by default `checkoutClients(client)`. */
  readonly dependencies?: CheckoutDependencies;
}

/** Serves the CheckoutService and the RefundService over clients of the services an order passes through. */
export function createCheckoutService(config: CheckoutConfig, deps: CheckoutServiceDependencies): void {
  const dependencies = deps.dependencies ?? checkoutClients(deps.client);
  deps.server.add(
    hipstershop.CheckoutServiceService,
    checkoutService({
      dependencies,
      metrics: deps.metrics,
      logger: deps.logger,
      emailDeadlineMs: config.emailDeadlineMs,
    }),
  );
  deps.server.add(
    checkout.RefundServiceService,
    refundService({ dependencies, metrics: deps.metrics, logger: deps.logger }),
  );
}
