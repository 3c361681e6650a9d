import { hipstershop } from '@glasshouse/contracts';
import type { Database, EnvReader, GrpcServer, ServiceRuntime } from '@glasshouse/kit';
import { delaying, withFaults } from '@glasshouse/kit';
import { ProductRepository } from './repository.js';
import { catalogService } from './server.js';

export { catalogMigrations } from './migrations.js';

/** The schema the catalog owns. */
export const CATALOG_SCHEMA = 'catalog';

export interface CatalogConfig {
  /** How long the product list is served from memory; 0 turns the cache off. */
  readonly cacheTtlMs: number;
}

export function readCatalogConfig(env: EnvReader): CatalogConfig {
  return Object.freeze({ cacheTtlMs: env.int('CATALOG_CACHE_TTL_MS', 5000, { min: 0 }) });
}

export interface CatalogDependencies extends ServiceRuntime {
  readonly server: GrpcServer;
  /** The catalog's database, migrated, and the schema its tables are in. */
  readonly database: { readonly db: Database; readonly schema: string };
}

/** Serves the ProductCatalogService from the catalog's database. */
export function createCatalogService(config: CatalogConfig, deps: CatalogDependencies): void {
  const repository = new ProductRepository(deps.database.db, deps.database.schema);
  deps.server.add(
    hipstershop.ProductCatalogServiceService,
    withFaults(
      catalogService({ repository, metrics: deps.metrics, cacheTtlMs: config.cacheTtlMs }),
      deps.flags,
      (_method, flags) => delaying(flags, 'catalog-slow', 1500),
    ),
  );
}
