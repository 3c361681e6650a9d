import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { TEST_REDIS_URL, freePort } from '@glasshouse/kit/testing';
import type { CartLimits, CartStore, CartStoreOptions } from './store.js';
import { CART_LIMITS, MemoryCartStore, RedisCartStore, openCartStore } from './store.js';

const REDIS_URL = TEST_REDIS_URL;

async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
}

const SMALL: CartLimits = { maxLineQuantity: 10, maxLines: 3 };

/** The behaviour every CartStore shares. */
function describeCartStore(
  kind: string,
  open: (options?: CartStoreOptions) => CartStore,
  cleanUp: () => Promise<void> = async () => {},
): void {
  describe(`${kind} cart store`, () => {
    const opened: CartStore[] = [];
    const store = (options?: CartStoreOptions): CartStore => {
      const created = open(options);
      opened.push(created);
      return created;
    };
    const user = () => `shopper-${randomUUID()}`;

    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
    });
    after(cleanUp);

    it('answers an unknown cart with no lines', async () => {
      assert.deepEqual(await store().get(user()), []);
    });

    it('merges quantities of the same product and orders lines by product id', async () => {
      const carts = store();
      const shopper = user();
      assert.deepEqual(await carts.addItem(shopper, 'OLJCESPC7Z', 2), { status: 'added', quantity: 2 });
      assert.deepEqual(await carts.addItem(shopper, '66VCHSJNUP', 1), { status: 'added', quantity: 1 });
      assert.deepEqual(await carts.addItem(shopper, 'OLJCESPC7Z', 3), { status: 'added', quantity: 5 });
      assert.deepEqual(await carts.get(shopper), [
        { productId: '66VCHSJNUP', quantity: 1 },
        { productId: 'OLJCESPC7Z', quantity: 5 },
      ]);
    });

    it('keeps each shopper their own cart', async () => {
      const carts = store();
      const [alice, bob] = [user(), user()];
      await carts.addItem(alice, 'OLJCESPC7Z', 1);
      await carts.addItem(bob, '9SIQT8TOJO', 4);
      assert.deepEqual(await carts.get(alice), [{ productId: 'OLJCESPC7Z', quantity: 1 }]);
      assert.deepEqual(await carts.get(bob), [{ productId: '9SIQT8TOJO', quantity: 4 }]);
    });

    it('empties a cart, and emptying an unknown cart is fine', async () => {
      const carts = store();
      const [shopper, other] = [user(), user()];
      await carts.addItem(shopper, 'OLJCESPC7Z', 1);
      await carts.addItem(other, 'OLJCESPC7Z', 1);
      await carts.empty(shopper);
      await carts.empty(user());
      assert.deepEqual(await carts.get(shopper), []);
      assert.equal((await carts.get(other)).length, 1);
    });

    it('fills a line up to its limit and refuses more, leaving it unchanged', async () => {
      const carts = store({ limits: SMALL });
      const shopper = user();
      assert.deepEqual(await carts.addItem(shopper, 'P1', 10), { status: 'added', quantity: 10 });
      assert.deepEqual(await carts.addItem(shopper, 'P1', 1), { status: 'line_full', quantity: 10 });
      assert.deepEqual(await carts.addItem(shopper, 'P2', 11), { status: 'line_full', quantity: 0 });
      assert.deepEqual(await carts.get(shopper), [{ productId: 'P1', quantity: 10 }]);
    });

    it('refuses a new product once the cart has the most lines, but still adds to existing ones', async () => {
      const carts = store({ limits: SMALL });
      const shopper = user();
      for (const product of ['P1', 'P2', 'P3']) await carts.addItem(shopper, product, 1);
      assert.deepEqual(await carts.addItem(shopper, 'P4', 1), { status: 'cart_full', lines: 3 });
      assert.deepEqual(await carts.addItem(shopper, 'P2', 1), { status: 'added', quantity: 2 });
      assert.deepEqual(
        (await carts.get(shopper)).map((line) => line.productId),
        ['P1', 'P2', 'P3'],
      );
    });

    it('sums 50 concurrent adds exactly', async () => {
      const carts = store();
      const shopper = user();
      await Promise.all(Array.from({ length: 50 }, () => carts.addItem(shopper, 'OLJCESPC7Z', 3)));
      assert.deepEqual(await carts.get(shopper), [{ productId: 'OLJCESPC7Z', quantity: 150 }]);
    });

    it('never lets concurrent adds push a line past its limit', async () => {
      const carts = store({ limits: SMALL });
      const shopper = user();
      await carts.addItem(shopper, 'P1', 4);
      const outcomes = await Promise.all(Array.from({ length: 20 }, () => carts.addItem(shopper, 'P1', 1)));
      assert.equal(outcomes.filter((o) => o.status === 'added').length, 6);
      assert.equal(outcomes.filter((o) => o.status === 'line_full').length, 14);
      assert.deepEqual(await carts.get(shopper), [{ productId: 'P1', quantity: 10 }]);
    });

    it('never lets concurrent adds of new products pass the most lines', async () => {
      const carts = store({ limits: SMALL });
      const shopper = user();
      const outcomes = await Promise.all(
        Array.from({ length: 12 }, (_, i) => carts.addItem(shopper, `P${i}`, 1)),
      );
      assert.equal(outcomes.filter((o) => o.status === 'added').length, 3);
      assert.equal(outcomes.filter((o) => o.status === 'cart_full').length, 9);
      assert.equal((await carts.get(shopper)).length, 3);
    });

    it('uses the shop-wide limits by default', () => {
      assert.deepEqual(store().limits, { maxLineQuantity: 999, maxLines: 100 });
    });

    it('answers a ping', async () => {
      await store().ping();
    });
  });
}

describeCartStore('memory', (options) => new MemoryCartStore(options));

const sharedPrefix = `test-cart-${randomUUID()}:`;
describeCartStore(
  'redis',
  (options) => new RedisCartStore({ ...options, url: REDIS_URL, keyPrefix: sharedPrefix }),
  async () => {
    const redis = new Redis(REDIS_URL);
    await deleteKeys(redis, sharedPrefix);
    await redis.quit();
  },
);

describe('redis cart store, specifically', () => {
  let redis: Redis;
  const keyPrefix = `test-cart-${randomUUID()}:`;
  const opened: RedisCartStore[] = [];
  const open = (ttlSeconds?: number): RedisCartStore => {
    const store = new RedisCartStore({ url: REDIS_URL, keyPrefix, ...(ttlSeconds ? { ttlSeconds } : {}) });
    opened.push(store);
    return store;
  };

  before(() => {
    redis = new Redis(REDIS_URL);
  });

  after(async () => {
    await Promise.all(opened.map((s) => s.close()));
    await deleteKeys(redis, keyPrefix);
    await redis.quit();
  });

  it('keeps a cart as one hash of product id to quantity under the prefix', async () => {
    await open().addItem('alice', 'OLJCESPC7Z', 2);
    assert.deepEqual(await redis.hgetall(`${keyPrefix}alice`), { OLJCESPC7Z: '2' });
  });

  it('keeps carts across a restart: a second store over the same Redis sees them', async () => {
    const first = open();
    await first.addItem('bob', 'OLJCESPC7Z', 2);
    await first.addItem('bob', '66VCHSJNUP', 1);
    await first.close();
    const second = open();
    assert.deepEqual(await second.get('bob'), [
      { productId: '66VCHSJNUP', quantity: 1 },
      { productId: 'OLJCESPC7Z', quantity: 2 },
    ]);
    await second.addItem('bob', 'OLJCESPC7Z', 1);
    assert.deepEqual(await second.get('bob'), [
      { productId: '66VCHSJNUP', quantity: 1 },
      { productId: 'OLJCESPC7Z', quantity: 3 },
    ]);
  });

  it('sets a TTL on the cart and refreshes it on every write', async () => {
    const store = open(3600);
    await store.addItem('carol', 'OLJCESPC7Z', 1);
    const ttl = await redis.ttl(`${keyPrefix}carol`);
    assert.ok(ttl > 3500 && ttl <= 3600, `ttl ${ttl}`);
    await redis.expire(`${keyPrefix}carol`, 10);
    await store.addItem('carol', 'OLJCESPC7Z', 1);
    assert.ok((await redis.ttl(`${keyPrefix}carol`)) > 3500);
  });

  it('defaults the TTL to 7 days', async () => {
    await open().addItem('dave', 'OLJCESPC7Z', 1);
    const ttl = await redis.ttl(`${keyPrefix}dave`);
    assert.ok(ttl > 7 * 86_400 - 60 && ttl <= 7 * 86_400, `ttl ${ttl}`);
  });

  it('deletes the key when a cart is emptied', async () => {
    const store = open();
    await store.addItem('erin', 'OLJCESPC7Z', 1);
    await store.empty('erin');
    assert.equal(await redis.exists(`${keyPrefix}erin`), 0);
  });

  it('writes nothing when it refuses an add', async () => {
    const store = new RedisCartStore({ url: REDIS_URL, keyPrefix, limits: SMALL });
    opened.push(store);
    await store.addItem('frank', 'P1', 11);
    assert.equal(await redis.exists(`${keyPrefix}frank`), 0);
  });

  it('fails a call, rather than hanging, while Redis is unreachable', async () => {
    const errors: Error[] = [];
    const store = new RedisCartStore({
      url: `redis://127.0.0.1:${await freePort()}`,
      keyPrefix,
      onError: (error) => errors.push(error),
    });
    opened.push(store);
    const started = Date.now();
    await assert.rejects(store.get('grace'));
    await assert.rejects(store.ping());
    assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
    assert.ok(errors.length > 0, 'connection errors are reported');
  });
});

describe('memory cart store, specifically', () => {
  it('forgets a cart once its TTL has passed since the last write', async () => {
    let clock = 1_000_000;
    const store = new MemoryCartStore({ ttlSeconds: 60, now: () => clock });
    await store.addItem('alice', 'OLJCESPC7Z', 1);
    clock += 59_000;
    await store.addItem('alice', 'OLJCESPC7Z', 1);
    clock += 59_000;
    assert.deepEqual(await store.get('alice'), [{ productId: 'OLJCESPC7Z', quantity: 2 }]);
    clock += 1_000;
    assert.deepEqual(await store.get('alice'), []);
    assert.deepEqual(await store.addItem('alice', 'OLJCESPC7Z', 1), { status: 'added', quantity: 1 });
  });
});

describe('openCartStore', () => {
  it('keeps carts in memory without a Redis URL', async () => {
    const store = openCartStore({});
    assert.equal(store.kind, 'memory');
    assert.deepEqual(store.limits, CART_LIMITS);
    await store.close();
  });

  it('keeps carts in Redis with a Redis URL', async () => {
    const store = openCartStore({ redisUrl: new URL(REDIS_URL) });
    assert.equal(store.kind, 'redis');
    await store.ping();
    await store.close();
  });
});
