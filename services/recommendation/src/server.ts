import type { hipstershop } from '@glasshouse/contracts';
import type { Implementation, ServiceMetrics } from '@glasshouse/kit';
import { PRODUCT_ID_MAX_LENGTH, invalidArgument } from '@glasshouse/kit';
import type { CatalogCache } from './catalog-cache.js';
import { recommendProducts } from './recommender.js';

type RecommendationService = typeof hipstershop.RecommendationServiceService;

export const MAX_USER_ID_LENGTH = 128;
export const MAX_PRODUCT_IDS = 50;

export interface RecommendationOptions {
  /** The catalog's product list (see catalog-cache.ts). */
  catalog: Pick<CatalogCache, 'products'>;
  metrics: ServiceMetrics;
  /** Most product ids in one answer (RECOMMENDATION_COUNT). */
  count: number;
  random?: () => number;
}

function validate(request: hipstershop.ListRecommendationsRequest): void {
  if (request.userId.length > MAX_USER_ID_LENGTH)
    throw invalidArgument(`user_id: longer than ${MAX_USER_ID_LENGTH} characters`);
  if (request.productIds.length > MAX_PRODUCT_IDS)
    throw invalidArgument(`product_ids: more than ${MAX_PRODUCT_IDS} ids`);
  const long = request.productIds.findIndex((id) => id.length > PRODUCT_ID_MAX_LENGTH);
  if (long >= 0)
    throw invalidArgument(`product_ids[${long}]: longer than ${PRODUCT_ID_MAX_LENGTH} characters`);
}

/** The RecommendationService handlers: products like the ones the shopper is looking at. */
export function recommendationService(options: RecommendationOptions): Implementation<RecommendationService> {
  const { catalog, metrics, count, random } = options;
  const served = metrics.counter(
    'recommendations_served_total',
    'Product ids returned as recommendations.',
    [],
  );
  return {
    async listRecommendations(request) {
      validate(request);
      const products = await catalog.products();
      const productIds = recommendProducts(products, request.productIds, count, random);
      served.inc(productIds.length);
      return { productIds };
    },
  };
}
