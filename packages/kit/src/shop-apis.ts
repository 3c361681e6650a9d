import { auth, checkout, hipstershop, inventory, orders, payment } from '@glasshouse/contracts';
import type { PromiseClient } from './grpc/client.js';
import type { ServiceClientFactory, ServiceClientOptions } from './service.js';
import type { ServiceName } from './services.js';

const api = <C, S>(target: ServiceName, Client: C, definition: S) => ({ target, Client, definition });

/** Every gRPC API of the shop, by the name its callers give it, with the service that serves it. */
const SHOP_APIS = {
  catalog: api(
    'productcatalog',
    hipstershop.ProductCatalogServiceClient,
    hipstershop.ProductCatalogServiceService,
  ),
  currency: api('currency', hipstershop.CurrencyServiceClient, hipstershop.CurrencyServiceService),
  cart: api('cart', hipstershop.CartServiceClient, hipstershop.CartServiceService),
  recommendation: api(
    'recommendation',
    hipstershop.RecommendationServiceClient,
    hipstershop.RecommendationServiceService,
  ),
  ad: api('ad', hipstershop.AdServiceClient, hipstershop.AdServiceService),
  shipping: api('shipping', hipstershop.ShippingServiceClient, hipstershop.ShippingServiceService),
  payment: api('payment', hipstershop.PaymentServiceClient, hipstershop.PaymentServiceService),
  chargeReversal: api('payment', payment.ChargeReversalServiceClient, payment.ChargeReversalServiceService),
  email: api('email', hipstershop.EmailServiceClient, hipstershop.EmailServiceService),
  checkout: api('checkout', hipstershop.CheckoutServiceClient, hipstershop.CheckoutServiceService),
  refunds: api('checkout', checkout.RefundServiceClient, checkout.RefundServiceService),
  orders: api('orders', orders.OrderServiceClient, orders.OrderServiceService),
  inventory: api('inventory', inventory.InventoryServiceClient, inventory.InventoryServiceService),
  auth: api('auth', auth.AuthServiceClient, auth.AuthServiceService),
} as const;

export type ShopApi = keyof typeof SHOP_APIS;

/** Promise clients of the APIs in `A`, under the names their callers give them. */
export type ShopClientsOf<A extends ShopApi> = {
  readonly [K in A]: PromiseClient<(typeof SHOP_APIS)[K]['definition']>;
};

/** A client of each API `wanted` names, made with the options it gives (reads, required). */
export function shopClientsOf<A extends ShopApi>(
  client: ServiceClientFactory,
  wanted: Readonly<Record<A, ServiceClientOptions>>,
): ShopClientsOf<A> {
  const made: Partial<Record<A, unknown>> = {};
  for (const name of Object.keys(wanted) as A[]) {
    const { target, Client, definition } = SHOP_APIS[name];
    made[name] = client(Client, definition, target, wanted[name]);
  }
  return made as ShopClientsOf<A>;
}
