import type { hipstershop, inventory, orders, payment } from '@glasshouse/contracts';
import type { PromiseClient } from '@glasshouse/kit';

/** Every service checkout calls, as clients with deadlines (real gRPC clients, in tests too). */
export interface CheckoutDependencies {
  readonly cart: PromiseClient<typeof hipstershop.CartServiceService>;
  readonly catalog: PromiseClient<typeof hipstershop.ProductCatalogServiceService>;
  readonly currency: PromiseClient<typeof hipstershop.CurrencyServiceService>;
  readonly shipping: PromiseClient<typeof hipstershop.ShippingServiceService>;
  readonly payment: PromiseClient<typeof hipstershop.PaymentServiceService>;
  readonly chargeReversal: PromiseClient<typeof payment.ChargeReversalServiceService>;
  readonly email: PromiseClient<typeof hipstershop.EmailServiceService>;
  readonly orders: PromiseClient<typeof orders.OrderServiceService>;
  readonly inventory: PromiseClient<typeof inventory.InventoryServiceService>;
}
