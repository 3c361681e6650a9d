import type { ShopClientsOf } from '@glasshouse/kit';

/**
 * The services the frontend calls; real gRPC clients in production and in tests. Pages render
 * without recommendation and ad.
 */
export type Backends = ShopClientsOf<
  'catalog' | 'currency' | 'cart' | 'shipping' | 'checkout' | 'orders' | 'recommendation' | 'ad'
>;
