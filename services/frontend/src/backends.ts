import type { hipstershop } from '@glasshouse/contracts';
import type { PromiseClient } from '@glasshouse/kit';

/** The services the frontend calls; real gRPC clients in production and in tests. */
export interface Backends {
  readonly catalog: PromiseClient<typeof hipstershop.ProductCatalogServiceService>;
  readonly currency: PromiseClient<typeof hipstershop.CurrencyServiceService>;
}
