import { hipstershop, inventory, orders, payment } from '@glasshouse/contracts';
import type { EnvReader, GrpcServer, ServiceClientFactory, ServiceRuntime } from '@glasshouse/kit';
import type { CheckoutDependencies } from './dependencies.js';
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
  const reads = { idempotent: true, required: true };
  const writes = { required: true };
  return {
    cart: client(hipstershop.CartServiceClient, hipstershop.CartServiceService, 'cart', writes),
    catalog: client(
      hipstershop.ProductCatalogServiceClient,
      hipstershop.ProductCatalogServiceService,
      'productcatalog',
      reads,
    ),
    currency: client(
      hipstershop.CurrencyServiceClient,
      hipstershop.CurrencyServiceService,
      'currency',
      reads,
    ),
    shipping: client(
      hipstershop.ShippingServiceClient,
      hipstershop.ShippingServiceService,
      'shipping',
      writes,
    ),
    payment: client(hipstershop.PaymentServiceClient, hipstershop.PaymentServiceService, 'payment', writes),
    chargeReversal: client(
      payment.ChargeReversalServiceClient,
      payment.ChargeReversalServiceService,
      'payment',
      writes,
    ),
    email: client(hipstershop.EmailServiceClient, hipstershop.EmailServiceService, 'email'),
    orders: client(orders.OrderServiceClient, orders.OrderServiceService, 'orders', writes),
    inventory: client(
      inventory.InventoryServiceClient,
      inventory.InventoryServiceService,
      'inventory',
      writes,
    ),
  };
}

export interface CheckoutServiceDependencies extends ServiceRuntime {
  readonly server: GrpcServer;
  /** What checkout calls; by default `checkoutClients(client)`. */
  readonly dependencies?: CheckoutDependencies;
}

/** Serves the CheckoutService over clients of the services an order passes through. */
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
}
