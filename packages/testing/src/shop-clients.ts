import type { CheckoutDependencies } from '@glasshouse/checkout';
import { checkoutClients } from '@glasshouse/checkout';
import type { ServiceClientFactory, ServiceMetrics, ShopClientsOf } from '@glasshouse/kit';
import { createClient, shopClientsOf } from '@glasshouse/kit';

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
  'auth',
] as const;
export type ShopService = (typeof SHOP_SERVICES)[number];

/** A promise client of every service: what checkout calls, plus checkout, recommendation, ad and auth. */
export type ShopClients = CheckoutDependencies & ShopClientsOf<'checkout' | 'recommendation' | 'ad' | 'auth'>;

export interface DialOptions {
  addresses: Readonly<Partial<Record<ShopService, string>>>;
  metrics: ServiceMetrics;
  /** The deadline of a call whose client names none. */
  deadlineMs: number;
  /** Every client made is added here, to be closed when the shop stops. */
  opened: { close(): void }[];
}

/** Makes clients of the shop's services by name, as a service's runtime does from its env. */
export function dialer({ addresses, metrics, deadlineMs, opened }: DialOptions): ServiceClientFactory {
  return (Constructor, definition, target, options = {}) => {
    const address = (addresses as Partial<Record<string, string>>)[target];
    if (!address) throw new Error(`${target} is not running yet`);
    const client = createClient(Constructor, definition, {
      address,
      metrics,
      deadlineMs: options.deadlineMs ?? deadlineMs,
      idempotent: options.idempotent ?? false,
    });
    opened.push(client);
    return client;
  };
}

/** Clients of every service of the shop: checkout's own, plus checkout, recommendation, ad and auth. */
export function shopClients(dial: ServiceClientFactory): ShopClients {
  const read = { idempotent: true };
  return {
    ...checkoutClients(dial),
    ...shopClientsOf(dial, { checkout: {}, recommendation: read, ad: read, auth: {} }),
  };
}
