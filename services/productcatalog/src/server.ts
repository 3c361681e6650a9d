import { SpanStatusCode, trace } from '@opentelemetry/api';
import type { hipstershop } from '@glasshouse/contracts';
import type { Implementation, ServiceMetrics } from '@glasshouse/kit';
import { PRODUCT_ID, invalidArgument, notFound, storableTextProblem } from '@glasshouse/kit';
import type { ProductRepository } from './repository.js';

type CatalogService = typeof hipstershop.ProductCatalogServiceService;
type Product = hipstershop.Product;

const MAX_QUERY_LENGTH = 200;
const tracer = trace.getTracer('productcatalog');

export interface CatalogOptions {
  repository: ProductRepository;
  metrics: ServiceMetrics;
  /** How long the product list is served from memory; 0 turns the cache off. */
  cacheTtlMs: number;
  now?: () => number;
}

/**
 * The ProductCatalogService handlers. The full list is cached in memory for a short time:
 * the home page asks for it on every view, and the catalog changes rarely.
 */
export function catalogService(options: CatalogOptions): Implementation<CatalogService> {
  const { repository, metrics, cacheTtlMs } = options;
  const now = options.now ?? Date.now;
  const cacheRequests = metrics.counter(
    'cache_requests_total',
    'Cache lookups by cache and result (hit or miss).',
    ['cache', 'result'],
  );
  let cached: { products: Product[]; byId: Map<string, Product>; expires: number } | undefined;
  // Concurrent misses share one database read instead of stampeding it at every expiry.
  let loading: Promise<NonNullable<typeof cached>> | undefined;

  const load = () =>
    (loading ??= repository
      .list()
      .then((products) => {
        const fresh = {
          products,
          byId: new Map(products.map((p) => [p.id, p])),
          expires: now() + cacheTtlMs,
        };
        if (cacheTtlMs > 0) cached = fresh;
        return fresh;
      })
      .finally(() => {
        loading = undefined;
      }));

  const catalog = (): Promise<NonNullable<typeof cached>> =>
    tracer.startActiveSpan('cache lookup', async (span) => {
      try {
        const hit = cached !== undefined && cached.expires > now();
        span.setAttribute('cache.name', 'products');
        span.setAttribute('cache.hit', hit);
        cacheRequests.inc({ cache: 'products', result: hit ? 'hit' : 'miss' });
        return hit && cached ? cached : await load();
      } catch (error) {
        span.setAttribute('error.type', error instanceof Error ? error.name : 'Error');
        span.setStatus({ code: SpanStatusCode.ERROR });
        throw error;
      } finally {
        span.end();
      }
    });
  const listProducts = async (): Promise<Product[]> => (await catalog()).products;

  return {
    listProducts: async () => ({ products: await listProducts() }),
    async getProduct(request) {
      if (!PRODUCT_ID.test(request.id))
        throw invalidArgument(`id: "${request.id.slice(0, 64)}" is not a product id`);
      // The product page asks for several products per view: serve them from the cached list,
      // and ask the database only for an id the list does not know (added since it was read).
      const product =
        (cacheTtlMs > 0 ? (await catalog()).byId.get(request.id) : undefined) ??
        (await repository.get(request.id));
      if (!product) throw notFound(`no product with id "${request.id}"`);
      return product;
    },
    async searchProducts(request) {
      const query = request.query.trim();
      if (query.length > MAX_QUERY_LENGTH)
        throw invalidArgument(`query: longer than ${MAX_QUERY_LENGTH} characters`);
      const problem = storableTextProblem('query', query);
      if (problem) throw invalidArgument(problem);
      if (!query) return { results: await listProducts() };
      return { results: await repository.search(query) };
    },
  };
}
