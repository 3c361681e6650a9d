import type { ShopClientsOf } from '@glasshouse/kit';

/** Every service checkout calls, as clients with deadlines (real gRPC clients, in tests too). */
export type CheckoutDependencies = ShopClientsOf<
  | 'cart'
  | 'catalog'
  | 'currency'
  | 'shipping'
  | 'payment'
  | 'chargeReversal'
  | 'email'
  | 'orders'
  | 'inventory'
>;
