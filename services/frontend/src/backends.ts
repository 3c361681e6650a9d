import type { hipstershop, orders } from '@glasshouse/contracts';
import type { PromiseClient } from '@glasshouse/kit';

/** The services the frontend calls; real gRPC clients in production and in tests. */
export interface Backends {
  readonly catalog: PromiseClient<typeof hipstershop.ProductCatalogServiceService>;
  readonly currency: PromiseClient<typeof hipstershop.CurrencyServiceService>;
  readonly cart: PromiseClient<typeof hipstershop.CartServiceService>;
  readonly shipping: PromiseClient<typeof hipstershop.ShippingServiceService>;
  readonly checkout: PromiseClient<typeof hipstershop.CheckoutServiceService>;
  readonly orders: PromiseClient<typeof orders.OrderServiceService>;
  /** Optional: pages render without them. */
  readonly recommendation: PromiseClient<typeof hipstershop.RecommendationServiceService>;
  readonly ad: PromiseClient<typeof hipstershop.AdServiceService>;
}
