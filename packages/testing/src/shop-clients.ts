import { hipstershop, inventory, orders, payment } from '@glasshouse/contracts';
import type { PromiseClient, ServiceDefinition, ServiceMetrics } from '@glasshouse/kit';
import { createClient } from '@glasshouse/kit';
import type { CheckoutDependencies } from '../../services/checkout/src/dependencies.js';

/** The gRPC services of the shop, by the names of the kit's service table. */
export const SHOP_SERVICES = [
  'productcatalog',
  'currency',
  'cart',
  'recommendation',
  'ad',
  'shipping',
  'payment',
  'email',
  'orders',
  'inventory',
  'checkout',
] as const;
export type ShopService = (typeof SHOP_SERVICES)[number];

/** A promise client of every service: what checkout calls, plus checkout, recommendation and ad. */
export interface ShopClients extends CheckoutDependencies {
  readonly checkout: PromiseClient<typeof hipstershop.CheckoutServiceService>;
  readonly recommendation: PromiseClient<typeof hipstershop.RecommendationServiceService>;
  readonly ad: PromiseClient<typeof hipstershop.AdServiceService>;
}

type ClientConstructor = Parameters<typeof createClient>[0];

/** Makes clients of services by name; `idempotent` lets reads be retried, as main.ts does. */
export type Dial = <S extends ServiceDefinition>(
  Constructor: ClientConstructor,
  definition: S,
  target: ShopService,
  idempotent?: boolean,
) => PromiseClient<S>;

export interface DialOptions {
  addresses: Readonly<Partial<Record<ShopService, string>>>;
  metrics: ServiceMetrics;
  deadlineMs: number;
  /** Every client made is added here, to be closed when the shop stops. */
  opened: { close(): void }[];
}

export function dialer({ addresses, metrics, deadlineMs, opened }: DialOptions): Dial {
  return (Constructor, definition, target, idempotent = false) => {
    const address = addresses[target];
    if (!address) throw new Error(`${target} is not running yet`);
    const client = createClient(Constructor, definition, { address, metrics, deadlineMs, idempotent });
    opened.push(client);
    return client;
  };
}

/** Checkout's clients, wired like services/checkout/src/main.ts wires them. */
export function checkoutDependencies(dial: Dial): CheckoutDependencies {
  return {
    cart: dial(hipstershop.CartServiceClient, hipstershop.CartServiceService, 'cart'),
    catalog: dial(
      hipstershop.ProductCatalogServiceClient,
      hipstershop.ProductCatalogServiceService,
      'productcatalog',
      true,
    ),
    currency: dial(hipstershop.CurrencyServiceClient, hipstershop.CurrencyServiceService, 'currency', true),
    shipping: dial(hipstershop.ShippingServiceClient, hipstershop.ShippingServiceService, 'shipping'),
    payment: dial(hipstershop.PaymentServiceClient, hipstershop.PaymentServiceService, 'payment'),
    chargeReversal: dial(
      payment.ChargeReversalServiceClient,
      payment.ChargeReversalServiceService,
      'payment',
    ),
    email: dial(hipstershop.EmailServiceClient, hipstershop.EmailServiceService, 'email'),
    orders: dial(orders.OrderServiceClient, orders.OrderServiceService, 'orders'),
    inventory: dial(inventory.InventoryServiceClient, inventory.InventoryServiceService, 'inventory'),
  };
}

/** Clients of every service of the shop. */
export function shopClients(dial: Dial): ShopClients {
  return {
    ...checkoutDependencies(dial),
    checkout: dial(hipstershop.CheckoutServiceClient, hipstershop.CheckoutServiceService, 'checkout'),
    recommendation: dial(
      hipstershop.RecommendationServiceClient,
      hipstershop.RecommendationServiceService,
      'recommendation',
      true,
    ),
    ad: dial(hipstershop.AdServiceClient, hipstershop.AdServiceService, 'ad', true),
  };
}
