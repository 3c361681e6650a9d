import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { status } from '@grpc/grpc-js';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { hipstershop } from '@glasshouse/contracts';
import type { Database, PromiseClient, Tracing } from '@glasshouse/kit';
import {
  GrpcServer,
  ServiceMetrics,
  createClient,
  createLogger,
  migrate,
  startTracing,
} from '@glasshouse/kit';
import type { TestStore } from '@glasshouse/kit/testing';
import { expectStatus, metricSample, openPgliteStore } from '@glasshouse/kit/testing';
import { catalogMigrations } from '../../productcatalog/src/migrations.js';
import { ProductRepository } from '../../productcatalog/src/repository.js';
import { catalogService } from '../../productcatalog/src/server.js';
import type { ProductSource } from './catalog-cache.js';
import { CatalogCache } from './catalog-cache.js';
import { recommendationService } from './server.js';

type CatalogClient = PromiseClient<typeof hipstershop.ProductCatalogServiceService>;
type RecommendationClient = PromiseClient<typeof hipstershop.RecommendationServiceService>;

const SCHEMA = 'catalog';
const KITCHEN_ONLY = 'H9NC4RV2EU';
const TTL_MS = 1000;
/** Kitchen goods added to the seeded catalog, so a kitchen product has more kitchen neighbours than N. */
const EXTRA_KITCHEN = ['KTCHNSPOON', 'KTCHNBOARD', 'KTCHNMORTR'];

const silent = (name: string) => createLogger({ serviceName: name, level: 'silent' });

/** The real ProductCatalogService on a free port, over the given database. */
async function startCatalog(db: Database) {
  const metrics = new ServiceMetrics({ defaultMetrics: false });
  const server = new GrpcServer({ logger: silent('productcatalog-test'), metrics });
  const repository = new ProductRepository(db, SCHEMA);
  server.add(
    hipstershop.ProductCatalogServiceService,
    catalogService({ repository, metrics, cacheTtlMs: 0 }),
  );
  const port = await server.listen('127.0.0.1', 0);
  let stopping: Promise<void> | undefined;
  return { address: `127.0.0.1:${port}`, stop: () => (stopping ??= server.shutdown(1000)) };
}

const catalogClient = (address: string): CatalogClient =>
  createClient(hipstershop.ProductCatalogServiceClient, hipstershop.ProductCatalogServiceService, {
    address,
    metrics: new ServiceMetrics({ defaultMetrics: false }),
    deadlineMs: 2000,
    idempotent: true,
  });

/** A RecommendationService on a free port, reading the catalog at the given address through its cache. */
async function startRecommendation(catalogAddress: string, clock = { now: 1_000_000 }, count = 4) {
  const metrics = new ServiceMetrics({ defaultMetrics: false });
  const lines: string[] = [];
  const logger = createLogger({
    serviceName: 'recommendation-test',
    level: 'warn',
    destination: { write: (line: string) => lines.push(line) },
  });
  const catalog = catalogClient(catalogAddress);
  const cache = new CatalogCache({ catalog, metrics, logger, ttlMs: TTL_MS, now: () => clock.now });
  const server = new GrpcServer({ logger, metrics });
  server.add(
    hipstershop.RecommendationServiceService,
    recommendationService({ catalog: cache, metrics, count }),
  );
  const port = await server.listen('127.0.0.1', 0);
  const client: RecommendationClient = createClient(
    hipstershop.RecommendationServiceClient,
    hipstershop.RecommendationServiceService,
    {
      address: `127.0.0.1:${port}`,
      metrics: new ServiceMetrics({ defaultMetrics: false }),
      deadlineMs: 5000,
    },
  );
  return {
    client,
    cache,
    clock,
    lines,
    /** A counter's value as scraped from this service's /metrics, 0 when not yet counted. */
    async counted(name: string, labels: Record<string, string> = {}): Promise<number> {
      return metricSample((await metrics.scrape()).body, name, labels) ?? 0;
    },
    async stop() {
      client.close();
      catalog.close();
      await server.shutdown(1000);
    },
  };
}

/** The labels of cache_requests_total for catalog lookups with this result. */
const lookups = (result: string) => ({ cache: 'catalog', result });

describe('RecommendationService against the real ProductCatalogService', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  let store: TestStore;
  let catalog: Awaited<ReturnType<typeof startCatalog>>;
  let shop: Awaited<ReturnType<typeof startRecommendation>>;
  /** Each catalog product's categories, as the catalog lists them. */
  let categories: Map<string, string[]>;

  before(async () => {
    tracing = startTracing({
      serviceName: 'recommendation-test',
      exporters: [exporter],
      instrumentations: [],
    });
    store = await openPgliteStore(SCHEMA);
    await migrate(store.db, SCHEMA, catalogMigrations(SCHEMA));
    for (const id of EXTRA_KITCHEN)
      await store.db.query(
        `INSERT INTO ${SCHEMA}.products (id, name, price_usd_units, price_usd_nanos, categories)
         VALUES ($1, $1, 10, 0, ARRAY['kitchen'])`,
        [id],
      );
    catalog = await startCatalog(store.db);
    const reader = catalogClient(catalog.address);
    categories = new Map((await reader.listProducts({})).products.map((p) => [p.id, p.categories]));
    reader.close();
    shop = await startRecommendation(catalog.address);
  });

  after(async () => {
    await shop.stop();
    await catalog.stop();
    await store.dispose();
    await tracing.shutdown();
  });

  const recommend = (productIds: string[], userId = 'shopper-1') => recommendOn(shop, productIds, userId);

  it('answers up to N catalog products, never twice, never the ones asked about', async () => {
    assert.ok(categories.size > 20);
    const all = [...categories.keys()];
    for (const asked of [[], ['OLJCESPC7Z'], ['66VCHSJNUP', 'L9ECAV7KIM', 'UNKNOWN'], all.slice(2)]) {
      const ids = await recommend(asked);
      assert.equal(ids.length, Math.min(4, all.filter((id) => !asked.includes(id)).length));
      assert.equal(new Set(ids).size, ids.length, `duplicates in ${ids.join()}`);
      for (const id of ids) {
        assert.ok(categories.has(id), `${id} is in the catalog`);
        assert.ok(!asked.includes(id), `${id} was asked about`);
      }
    }
    assert.deepEqual(await recommend(all), []);
  });

  it('offers other kitchen products for a kitchen product, when enough exist', async () => {
    for (let i = 0; i < 10; i++) {
      const ids = await recommend([KITCHEN_ONLY]);
      assert.equal(ids.length, 4);
      for (const id of ids) assert.ok(categories.get(id)?.includes('kitchen'), `${id} is a kitchen product`);
    }
  });

  it('fills up with other products, after the related ones, when too few are related', async () => {
    // Only two products share a category (accessories, clothing) with this one.
    const related = [...categories].filter(
      ([id, c]) => id !== '9SIQT8TOJO' && c.some((x) => x === 'accessories' || x === 'clothing'),
    );
    assert.equal(related.length, 2);
    for (let i = 0; i < 10; i++) {
      const ids = await recommend(['9SIQT8TOJO']);
      assert.equal(ids.length, 4);
      assert.deepEqual(ids.slice(0, 2).sort(), related.map(([id]) => id).sort());
    }
  });

  it('shuffles: the same question gets different answers', async () => {
    const answers = new Set<string>();
    for (let i = 0; i < 10; i++) answers.add((await recommend([])).join());
    assert.ok(answers.size > 1, 'every answer was the same');
  });

  it('refuses oversized requests with INVALID_ARGUMENT naming the field', async () => {
    await recommend(['A'.repeat(64)], 'u'.repeat(128));
    await recommend(Array.from({ length: 50 }, (_, i) => `ID${i}`));
    await assert.rejects(recommend([], 'u'.repeat(129)), expectStatus(status.INVALID_ARGUMENT, /^user_id: /));
    await assert.rejects(
      recommend(Array.from({ length: 51 }, (_, i) => `ID${i}`)),
      expectStatus(status.INVALID_ARGUMENT, 'product_ids: more than 50 ids'),
    );
    await assert.rejects(
      recommend(['OLJCESPC7Z', 'B'.repeat(65)]),
      expectStatus(status.INVALID_ARGUMENT, 'product_ids[1]: longer than 64 characters'),
    );
  });

  it('counts the recommendations served', async () => {
    const before = await shop.counted('recommendations_served_total');
    await recommend([KITCHEN_ONLY]);
    await recommend([...categories.keys()].slice(1));
    assert.equal(await shop.counted('recommendations_served_total'), before + 5);
  });

  it('answers from the cache until the TTL passes, with a cache lookup span', async () => {
    const fresh = await startRecommendation(catalog.address);
    try {
      exporter.reset();
      await fresh.client.listRecommendations({ userId: '', productIds: [] });
      await fresh.client.listRecommendations({ userId: '', productIds: [] });
      assert.equal(await fresh.counted('cache_requests_total', lookups('miss')), 1);
      assert.equal(await fresh.counted('cache_requests_total', lookups('hit')), 1);
      const spans = exporter
        .getFinishedSpans()
        .filter((s) => s.name === 'cache lookup' && s.instrumentationScope.name === 'recommendation');
      assert.deepEqual(
        spans.map((s) => [s.attributes['cache.name'], s.attributes['cache.hit']]),
        [
          ['catalog', false],
          ['catalog', true],
        ],
      );
      fresh.clock.now += TTL_MS - 1;
      await fresh.client.listRecommendations({ userId: '', productIds: [] });
      assert.equal(await fresh.counted('cache_requests_total', lookups('hit')), 2);
      fresh.clock.now += 1;
      await fresh.client.listRecommendations({ userId: '', productIds: [] });
      assert.equal(await fresh.counted('cache_requests_total', lookups('miss')), 2);
    } finally {
      await fresh.stop();
    }
  });

  it('serves the stale list, and warns, when the catalog goes down after a first load', async () => {
    const ownCatalog = await startCatalog(store.db);
    const fresh = await startRecommendation(ownCatalog.address);
    try {
      assert.equal((await recommendOn(fresh, [KITCHEN_ONLY])).length, 4);
      await ownCatalog.stop();
      fresh.clock.now += TTL_MS;
      for (let i = 0; i < 2; i++) {
        const ids = await recommendOn(fresh, [KITCHEN_ONLY]);
        assert.equal(ids.length, 4);
        for (const id of ids) assert.ok(categories.get(id)?.includes('kitchen'));
      }
      assert.equal(await fresh.counted('cache_requests_total', lookups('stale')), 2);
      assert.equal(await fresh.counted('cache_requests_total', lookups('miss')), 1);
      const warnings = fresh.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      assert.ok(
        warnings.some((w) => w.message === 'product catalog unavailable, serving a stale product list'),
      );
      await fresh.cache.ensureLoaded();
    } finally {
      await fresh.stop();
      await ownCatalog.stop();
    }
  });

  it('answers UNAVAILABLE when the catalog never answered', async () => {
    const gone = await startCatalog(store.db);
    await gone.stop();
    const fresh = await startRecommendation(gone.address);
    try {
      await assert.rejects(
        recommendOn(fresh, []),
        expectStatus(status.UNAVAILABLE, 'product catalog unavailable'),
      );
      assert.equal(await fresh.counted('cache_requests_total', lookups('miss')), 1);
      await assert.rejects(fresh.cache.ensureLoaded(), { message: 'product catalog unavailable' });
    } finally {
      await fresh.stop();
    }
  });

  it('shares one catalog request among concurrent lookups', async () => {
    const client = catalogClient(catalog.address);
    let requests = 0;
    const counting: ProductSource = {
      listProducts: (request) => {
        requests++;
        return client.listProducts(request);
      },
    };
    const metrics = new ServiceMetrics({ defaultMetrics: false });
    const cache = new CatalogCache({ catalog: counting, metrics, logger: silent('cache-test'), ttlMs: 0 });
    try {
      const lists = await Promise.all(Array.from({ length: 5 }, () => cache.products()));
      assert.equal(requests, 1);
      assert.ok(lists.every((list) => list === lists[0] && list.length === categories.size));
      await cache.products();
      assert.equal(requests, 2, 'with a TTL of 0 the next lookup asks again');
    } finally {
      client.close();
    }
  });
});

async function recommendOn(
  shop: { client: RecommendationClient },
  productIds: string[],
  userId = 'shopper-2',
): Promise<string[]> {
  return (await shop.client.listRecommendations({ userId, productIds })).productIds;
}
