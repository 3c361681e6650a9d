import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { status } from '@grpc/grpc-js';
import { hipstershop } from '@glasshouse/contracts';
import type { Database, PromiseClient } from '@glasshouse/kit';
import { GrpcServer, ServiceMetrics, createLogger, migrate } from '@glasshouse/kit';
import type { TestStore } from '@glasshouse/kit/testing';
import { expectStatus, metricSample, openPgliteStore, serveOnFreePort } from '@glasshouse/kit/testing';
import { catalogMigrations } from './migrations.js';
import { ProductRepository } from './repository.js';
import { SEED_PRODUCTS } from './seed-products.js';
import { catalogService } from './server.js';

type CatalogClient = PromiseClient<typeof hipstershop.ProductCatalogServiceService>;

interface RunningCatalog {
  client: CatalogClient;
  metrics: ServiceMetrics;
  stop(): Promise<void>;
}

const SCHEMA = 'catalog';

async function startCatalog(db: Database, cacheTtlMs: number, now?: () => number): Promise<RunningCatalog> {
  const metrics = new ServiceMetrics({ defaultMetrics: false });
  const server = new GrpcServer({
    logger: createLogger({ serviceName: 'catalog-test', level: 'silent' }),
    metrics,
  });
  const repository = new ProductRepository(db, SCHEMA);
  server.add(
    hipstershop.ProductCatalogServiceService,
    catalogService({ repository, metrics, cacheTtlMs, ...(now ? { now } : {}) }),
  );
  const served = await serveOnFreePort(
    server,
    hipstershop.ProductCatalogServiceClient,
    hipstershop.ProductCatalogServiceService,
    { metrics },
  );
  return { ...served, metrics };
}

/** cache_requests_total{cache="products",result=…} as scraped, 0 when not yet counted. */
async function cacheRequests(metrics: ServiceMetrics, result: 'hit' | 'miss'): Promise<number> {
  const { body } = await metrics.scrape();
  return metricSample(body, 'cache_requests_total', { cache: 'products', result }) ?? 0;
}

describe('ProductCatalogService over gRPC', () => {
  let store: TestStore;
  let catalog: RunningCatalog;
  let clock = 1_000_000;

  before(async () => {
    store = await openPgliteStore(SCHEMA);
    await migrate(store.db, SCHEMA, catalogMigrations(SCHEMA));
    catalog = await startCatalog(store.db, 60_000, () => clock);
  });
  after(async () => {
    await catalog.stop();
    await store.dispose();
  });

  it('lists every product with its price', async () => {
    const { products } = await catalog.client.listProducts({});
    assert.deepEqual(new Set(products.map((p) => p.id)), new Set(SEED_PRODUCTS.map((p) => p.id)));
    assert.equal(products.length, SEED_PRODUCTS.length);
    const can = products.find((p) => p.id === '66VCHSJNUP');
    assert.deepEqual(can?.priceUsd, { currencyCode: 'USD', units: 42n, nanos: 500_000_000 });
  });

  it('gets one product by id', async () => {
    const product = await catalog.client.getProduct({ id: 'OLJCESPC7Z' });
    assert.equal(product.name, 'Glass Terrarium Kit');
    assert.deepEqual(product.categories, ['decor', 'garden']);
    assert.deepEqual(product.priceUsd, { currencyCode: 'USD', units: 64n, nanos: 0 });
  });

  it('answers NOT_FOUND for an unknown id', async () => {
    await assert.rejects(
      catalog.client.getProduct({ id: 'UNKNOWN0000' }),
      expectStatus(status.NOT_FOUND, /UNKNOWN0000/),
    );
  });

  for (const id of ['x'.repeat(100), 'bad id!', '', '../etc']) {
    it(`answers INVALID_ARGUMENT for the malformed id ${JSON.stringify(id.slice(0, 12))}`, async () => {
      await assert.rejects(
        catalog.client.getProduct({ id }),
        expectStatus(status.INVALID_ARGUMENT, /^id: .*not a product id/),
      );
    });
  }

  it('searches by name, description and category', async () => {
    const names = async (query: string) =>
      (await catalog.client.searchProducts({ query })).results.map((p) => p.id);
    assert.deepEqual(await names('  terrarium '), ['OLJCESPC7Z']);
    assert.deepEqual(await names('APIARY'), ['B3WXK8N1RA']);
    assert.deepEqual(await names('music'), ['Y1KM6EW4RS']);
    assert.deepEqual(await names('no such thing'), []);
  });

  it('returns the whole catalog for a blank query', async () => {
    const { results } = await catalog.client.searchProducts({ query: '   ' });
    assert.equal(results.length, SEED_PRODUCTS.length);
  });

  it('refuses a query longer than 200 characters', async () => {
    const ok = await catalog.client.searchProducts({ query: 'a'.repeat(200) });
    assert.deepEqual(ok.results, []);
    await assert.rejects(
      catalog.client.searchProducts({ query: 'a'.repeat(201) }),
      expectStatus(status.INVALID_ARGUMENT, /^query: longer than 200 characters/),
    );
  });

  it('refuses a query with a NUL character, which PostgreSQL cannot store or compare', async () => {
    await assert.rejects(
      catalog.client.searchProducts({ query: 'terra\u0000rium' }),
      expectStatus(status.INVALID_ARGUMENT, 'query: must not contain a NUL character'),
    );
  });

  it('serves the product list from the cache until it expires', async () => {
    clock += 120_000; // whatever earlier tests cached has expired
    const misses = await cacheRequests(catalog.metrics, 'miss');
    const hits = await cacheRequests(catalog.metrics, 'hit');
    await catalog.client.listProducts({});
    assert.equal(await cacheRequests(catalog.metrics, 'miss'), misses + 1);
    const second = await catalog.client.listProducts({});
    assert.equal(second.products.length, SEED_PRODUCTS.length);
    assert.equal(await cacheRequests(catalog.metrics, 'hit'), hits + 1);
    assert.equal(await cacheRequests(catalog.metrics, 'miss'), misses + 1);

    clock += 59_999;
    await catalog.client.listProducts({});
    assert.equal(await cacheRequests(catalog.metrics, 'hit'), hits + 2);
    clock += 1;
    await catalog.client.listProducts({});
    assert.equal(await cacheRequests(catalog.metrics, 'miss'), misses + 2);
  });

  it('exposes the counter as cache_requests_total', async () => {
    const { body } = await catalog.metrics.scrape();
    assert.match(body, /^cache_requests_total\{cache="products",result="(hit|miss)"\} \d+$/m);
  });

  it('misses every time when the cache is off', async () => {
    const uncached = await startCatalog(store.db, 0);
    try {
      for (let i = 0; i < 3; i++) await uncached.client.listProducts({});
      assert.equal(await cacheRequests(uncached.metrics, 'miss'), 3);
      assert.equal(await cacheRequests(uncached.metrics, 'hit'), 0);
    } finally {
      await uncached.stop();
    }
  });
});
