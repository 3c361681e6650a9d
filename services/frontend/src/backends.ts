import type { ShopClientsOf } from '@glasshouse/kit';
import type { AccountsClient } from './account-session.js';

/**
 * The services the frontend calls; real gRPC clients in production and in tests. Pages render
 * without recommendation and ad.
 */
export type Backends = ShopClientsOf<
  'catalog' | 'currency' | 'cart' | 'shipping' | 'checkout' | 'orders' | 'recommendation' | 'ad'
> & { readonly auth: AccountsClient };
