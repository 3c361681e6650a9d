import { hipstershop } from '@glasshouse/contracts';
import type { EnvReader, GrpcServer, ServiceRuntime } from '@glasshouse/kit';
import { leaking, withFaults } from '@glasshouse/kit';
import { CatalogCache } from './catalog-cache.js';
import { recommendationService } from './server.js';

export interface RecommendationConfig {
  /** How long the catalog's product list is kept before it is read again. */
  readonly cacheTtlMs: number;
  /** Most product ids in one answer. */
  readonly count: number;
}

export function readRecommendationConfig(env: EnvReader): RecommendationConfig {
  return Object.freeze({
    cacheTtlMs: env.int('RECOMMENDATION_CACHE_TTL_MS', 60_000, { min: 0 }),
    count: env.int('RECOMMENDATION_COUNT', 4, { min: 1, max: 20 }),
  });
}

export interface RecommendationDependencies extends ServiceRuntime {
  readonly server: GrpcServer;
}

/** Serves the RecommendationService from a cached copy of the catalog's product list. */
export function createRecommendationService(
  config: RecommendationConfig,
  deps: RecommendationDependencies,
): void {
  const { logger, metrics } = deps;
  const catalog = deps.client(
    hipstershop.ProductCatalogServiceClient,
    hipstershop.ProductCatalogServiceService,
    'productcatalog',
    { idempotent: true },
  );
  const cache = new CatalogCache({ catalog, metrics, logger, ttlMs: config.cacheTtlMs });
  // Ready once a product list is held: from then on a catalog outage is served from the stale copy.
  deps.addReadinessCheck({ name: 'productcatalog', check: () => cache.ensureLoaded() });
  deps.server.add(
    hipstershop.RecommendationServiceService,
    withFaults(
      recommendationService({ catalog: cache, metrics, count: config.count }),
      deps.flags,
      (_method, flags) => leaking(flags, 'recommendation-leak', 512),
    ),
  );
  logger.info({ 'recommendation.count': config.count }, 'recommendations ready');
}
