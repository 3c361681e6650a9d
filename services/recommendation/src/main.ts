import '@glasshouse/kit/register';
import { hipstershop } from '@glasshouse/contracts';
import { runGrpcService } from '@glasshouse/kit';
import { CatalogCache } from './catalog-cache.js';
import { recommendationService } from './server.js';

void runGrpcService('recommendation', (context, server) => {
  const { env, logger, metrics, addReadinessCheck } = context;
  const catalog = context.client(
    hipstershop.ProductCatalogServiceClient,
    hipstershop.ProductCatalogServiceService,
    'productcatalog',
    { idempotent: true },
  );
  const cache = new CatalogCache({
    catalog,
    metrics,
    logger,
    ttlMs: env.int('RECOMMENDATION_CACHE_TTL_MS', 60_000, { min: 0 }),
  });
  // Ready once a product list is held: from then on a catalog outage is served from the stale copy.
  addReadinessCheck({ name: 'productcatalog', check: () => cache.ensureLoaded() });
  const count = env.int('RECOMMENDATION_COUNT', 4, { min: 1, max: 20 });
  server.add(
    hipstershop.RecommendationServiceService,
    recommendationService({ catalog: cache, metrics, count }),
  );
  logger.info({ 'recommendation.count': count }, 'recommendations ready');
});
