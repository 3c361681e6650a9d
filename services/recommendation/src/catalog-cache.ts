import { SpanStatusCode, trace } from '@opentelemetry/api';
import type { hipstershop } from '@glasshouse/contracts';
import type { Logger, ServiceMetrics } from '@glasshouse/kit';
import { RpcError, unavailable } from '@glasshouse/kit';

type Product = hipstershop.Product;

/** Where the product list comes from: the ProductCatalogService client, or anything shaped like it. */
export interface ProductSource {
  listProducts(request: hipstershop.Empty): Promise<hipstershop.ListProductsResponse>;
}

export interface CatalogCacheOptions {
  catalog: ProductSource;
  metrics: ServiceMetrics;
  logger: Logger;
  /** How long a loaded list counts as fresh; 0 asks the catalog on every lookup. */
  ttlMs: number;
  now?: () => number;
}

/** How a lookup was answered, as counted in cache_requests_total{cache="catalog",result}. */
export type LookupResult = 'hit' | 'miss' | 'stale';

interface CatalogCopy {
  products: readonly Product[];
  expires: number;
}

const CACHE = 'catalog';
const tracer = trace.getTracer('recommendation');

/**
 * The catalog's product list, kept in memory. A fresh copy is served as is; an expired one is
 * reloaded, with one request to the catalog shared by every caller waiting for it; when the
 * catalog cannot answer, an expired copy is served rather than nothing.
 */
export class CatalogCache {
  private readonly requests;
  private readonly now: () => number;
  private copy: CatalogCopy | undefined;
  private loading: Promise<readonly Product[]> | undefined;

  constructor(private readonly options: CatalogCacheOptions) {
    this.now = options.now ?? Date.now;
    this.requests = options.metrics.counter(
      'cache_requests_total',
      'Cache lookups by cache and result (hit, miss, or stale when an expired copy was served).',
      ['cache', 'result'],
    );
  }

  /** The product list, from memory when fresh; UNAVAILABLE when the catalog never answered. */
  products(): Promise<readonly Product[]> {
    return tracer.startActiveSpan('cache lookup', async (span) => {
      span.setAttribute('cache.name', CACHE);
      try {
        const { products, result } = await this.lookup();
        span.setAttribute('cache.hit', result === 'hit');
        if (result === 'stale') span.setAttribute('cache.stale', true);
        this.requests.inc({ cache: CACHE, result });
        return products;
      } catch (error) {
        const rpcError = RpcError.from(error);
        span.setAttribute('cache.hit', false);
        span.setAttribute('error.type', rpcError.errorType);
        span.setStatus({ code: SpanStatusCode.ERROR, message: rpcError.message });
        this.requests.inc({ cache: CACHE, result: 'miss' });
        throw rpcError;
      } finally {
        span.end();
      }
    });
  }

  /** Resolves once a copy exists, loading one if needed (a readiness check); never counted. */
  async ensureLoaded(): Promise<void> {
    if (this.copy) return;
    try {
      await this.load();
    } catch {
      throw unavailable('product catalog unavailable');
    }
  }

  private async lookup(): Promise<{ products: readonly Product[]; result: LookupResult }> {
    const copy = this.copy;
    if (copy && copy.expires > this.now()) return { products: copy.products, result: 'hit' };
    try {
      return { products: await this.load(), result: 'miss' };
    } catch (error) {
      const { logger } = this.options;
      // Read again: a concurrent load may have succeeded while this one waited.
      const stale = this.copy ?? copy;
      if (!stale) {
        logger.error({ err: error, 'cache.name': CACHE }, 'product catalog unavailable and nothing cached');
        throw unavailable('product catalog unavailable');
      }
      logger.warn(
        {
          err: error,
          'cache.name': CACHE,
          'cache.age_ms': this.now() - (stale.expires - this.options.ttlMs),
        },
        'product catalog unavailable, serving a stale product list',
      );
      return { products: stale.products, result: 'stale' };
    }
  }

  /** One request to the catalog at a time: callers arriving while it runs share its answer. */
  private load(): Promise<readonly Product[]> {
    this.loading ??= this.fetch().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private async fetch(): Promise<readonly Product[]> {
    const { products } = await this.options.catalog.listProducts({});
    this.copy = { products: Object.freeze(products), expires: this.now() + this.options.ttlMs };
    this.options.logger.debug({ 'cache.name': CACHE, products: products.length }, 'product list loaded');
    return this.copy.products;
  }
}
