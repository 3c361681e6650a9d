import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { status } from '@grpc/grpc-js';
import { hipstershop } from '@glasshouse/contracts';
import type { PromiseClient } from '@glasshouse/kit';
import { GrpcServer, ServiceMetrics, createLogger } from '@glasshouse/kit';
import { expectStatus, metricSample, serveOnFreePort } from '@glasshouse/kit/testing';
import { ADS_BY_CATEGORY, ALL_ADS, CATEGORIES } from './ads.js';
import { adService } from './server.js';
import { selectAds } from './selection.js';

type AdClient = PromiseClient<typeof hipstershop.AdServiceService>;

/** ads_served_total{match}, which must be exposed. */
async function served(metrics: ServiceMetrics, match: string): Promise<number> {
  const value = metricSample((await metrics.scrape()).body, 'ads_served_total', { match });
  assert.ok(value !== undefined, `no ads_served_total series for ${match}`);
  return value;
}

const inCategory = (category: keyof typeof ADS_BY_CATEGORY, ad: hipstershop.Ad) =>
  ADS_BY_CATEGORY[category].some((a) => a.redirectUrl === ad.redirectUrl && a.text === ad.text);

describe('AdService over gRPC', () => {
  const metrics = new ServiceMetrics({ defaultMetrics: false });
  let client: AdClient;
  let stop: () => Promise<void>;

  before(async () => {
    const server = new GrpcServer({
      logger: createLogger({ serviceName: 'ad-test', level: 'silent' }),
      metrics,
    }).add(hipstershop.AdServiceService, adService({ metrics }));
    ({ client, stop } = await serveOnFreePort(
      server,
      hipstershop.AdServiceClient,
      hipstershop.AdServiceService,
      {
        metrics,
      },
    ));
  });

  after(() => stop());

  it('returns two distinct ads of the category asked for', async () => {
    const before = await served(metrics, 'contextual');
    const { ads } = await client.getAds({ contextKeys: ['garden'] });
    assert.equal(ads.length, 2);
    assert.notDeepEqual(ads[0], ads[1]);
    for (const ad of ads) assert.ok(inCategory('garden', ad), ad.redirectUrl);
    assert.equal(await served(metrics, 'contextual'), before + 2);
  });

  it('returns the one ad of a category that has one', async () => {
    const { ads } = await client.getAds({ contextKeys: ['books'] });
    assert.deepEqual(ads, ADS_BY_CATEGORY.books);
  });

  it('matches keys regardless of case and spaces, ignoring unknown keys', async () => {
    const { ads } = await client.getAds({ contextKeys: ['  Music ', 'vinyl', 'nonsense'] });
    assert.deepEqual(ads, ADS_BY_CATEGORY.music);
  });

  it('draws from every category named', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const { ads } = await client.getAds({ contextKeys: ['tech', 'footwear'] });
      assert.equal(ads.length, 2);
      for (const ad of ads) {
        assert.ok(inCategory('tech', ad) || inCategory('footwear', ad));
        seen.add(ad.redirectUrl);
      }
    }
    assert.deepEqual([...seen].sort(), ['/product/LS4PSXUNUM', '/product/Q4VE9BN7JD']);
  });

  it('returns one random ad when no key matches, or none are given', async () => {
    const before = await served(metrics, 'random');
    for (const contextKeys of [[], ['spaceships']]) {
      const { ads } = await client.getAds({ contextKeys });
      assert.equal(ads.length, 1);
      assert.ok(ALL_ADS.some((a) => a.redirectUrl === ads[0]?.redirectUrl && a.text === ads[0]?.text));
    }
    assert.equal(await served(metrics, 'random'), before + 2);
  });

  it('refuses more than 20 keys, or a key longer than 64 characters', async () => {
    const refused = (reason: string) => expectStatus(status.INVALID_ARGUMENT, reason);
    await assert.rejects(
      client.getAds({ contextKeys: Array.from({ length: 21 }, () => 'garden') }),
      refused('context_keys: at most 20 keys, got 21'),
    );
    await assert.rejects(
      client.getAds({ contextKeys: ['garden', 'k'.repeat(65)] }),
      refused('context_keys[1]: longer than 64 characters'),
    );
    const { ads } = await client.getAds({
      contextKeys: [...Array.from({ length: 19 }, () => 'x'), 'k'.repeat(64)],
    });
    assert.equal(ads.length, 1, '20 keys of up to 64 characters are fine');
  });
});

describe('the ad table', () => {
  it('has ads for every category, each linking to a product page', () => {
    for (const category of CATEGORIES) {
      const ads = ADS_BY_CATEGORY[category];
      assert.ok(ads.length > 0, category);
      for (const ad of ads) {
        assert.match(ad.redirectUrl, /^\/product\/[A-Z0-9]{10}$/);
        assert.ok(ad.text.length > 0 && ad.text.length <= 100, ad.text);
      }
    }
  });

  it('lists each ad once in ALL_ADS', () => {
    const keys = ALL_ADS.map((a) => `${a.redirectUrl} ${a.text}`);
    assert.equal(new Set(keys).size, keys.length);
    assert.ok(ALL_ADS.length >= CATEGORIES.length);
  });
});

describe('selectAds', () => {
  it('uses the random source to choose', () => {
    const first = selectAds(['garden'], () => 0);
    assert.deepEqual(first, { ads: ADS_BY_CATEGORY.garden.slice(0, 2), match: 'contextual' });
    const last = selectAds([], (max) => max - 1);
    assert.deepEqual(last, { ads: [ALL_ADS.at(-1)], match: 'random' });
  });

  it('never shows two ads for the same product', () => {
    // The teapot (K2TP7GS0WB) is advertised under both home and kitchen, with different texts.
    for (let i = 0; i < 30; i++) {
      const { ads } = selectAds(['home', 'kitchen']);
      assert.equal(ads.length, 2);
      assert.notEqual(ads[0]?.redirectUrl, ads[1]?.redirectUrl);
    }
    // Exhaustively: every draw of the three distinct products.
    for (const first of [0, 1, 2])
      for (const second of [0, 1]) {
        const draws = [first, second];
        const { ads } = selectAds(['home', 'kitchen'], () => draws.shift() ?? 0);
        assert.notEqual(ads[0]?.redirectUrl, ads[1]?.redirectUrl);
      }
  });
});
