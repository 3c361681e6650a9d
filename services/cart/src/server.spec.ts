import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { Redis } from 'ioredis';
import { hipstershop } from '@glasshouse/contracts';
import type { PromiseClient } from '@glasshouse/kit';
import { GrpcServer, ServiceMetrics, createLogger } from '@glasshouse/kit';
import { TEST_REDIS_URL, expectStatus, metricSample, serveOnFreePort } from '@glasshouse/kit/testing';
import { cartService } from './server.js';
import type { CartStore } from './store.js';
import { CART_LIMITS, MemoryCartStore, RedisCartStore } from './store.js';

type CartClient = PromiseClient<typeof hipstershop.CartServiceService>;

const REDIS_URL = TEST_REDIS_URL;

interface RunningCart {
  client: CartClient;
  metrics: ServiceMetrics;
  /** Stops the server, then closes the store, as the service does on shutdown. */
  stop(): Promise<void>;
}

async function startCart(store: CartStore): Promise<RunningCart> {
  const metrics = new ServiceMetrics({ defaultMetrics: false });
  const server = new GrpcServer({
    logger: createLogger({ serviceName: 'cart-test', level: 'silent' }),
    metrics,
  });
  server.add(hipstershop.CartServiceService, cartService({ store, metrics }));
  const served = await serveOnFreePort(
    server,
    hipstershop.CartServiceClient,
    hipstershop.CartServiceService,
    {
      metrics,
    },
  );
  return {
    client: served.client,
    metrics,
    async stop() {
      await served.stop();
      await store.close();
    },
  };
}

/** A sample's value as /metrics exposes it, with exactly these labels; 0 when not yet counted. */
async function counterValue(
  metrics: ServiceMetrics,
  name: string,
  labels: Record<string, string>,
): Promise<number> {
  return metricSample((await metrics.scrape()).body, name, labels) ?? 0;
}

const item = (productId: string, quantity: number): hipstershop.CartItem => ({ productId, quantity });
const shopper = (): string => `shopper-${randomUUID()}`;

describe('CartService over gRPC, carts in memory', () => {
  let cart: RunningCart;

  before(async () => {
    cart = await startCart(new MemoryCartStore());
  });

  after(async () => {
    await cart.stop();
  });

  it('adds items, merges quantities of the same product and returns the cart', async () => {
    const userId = shopper();
    await cart.client.addItem({ userId, item: item('OLJCESPC7Z', 2) });
    await cart.client.addItem({ userId, item: item('66VCHSJNUP', 1) });
    await cart.client.addItem({ userId, item: item('OLJCESPC7Z', 3) });
    assert.deepEqual(await cart.client.getCart({ userId }), {
      userId,
      items: [item('66VCHSJNUP', 1), item('OLJCESPC7Z', 5)],
    });
  });

  it('empties a cart, leaving other carts alone', async () => {
    const [userId, other] = [shopper(), shopper()];
    await cart.client.addItem({ userId, item: item('OLJCESPC7Z', 1) });
    await cart.client.addItem({ userId: other, item: item('OLJCESPC7Z', 1) });
    assert.deepEqual(await cart.client.emptyCart({ userId }), {});
    assert.deepEqual(await cart.client.getCart({ userId }), { userId, items: [] });
    assert.equal((await cart.client.getCart({ userId: other })).items.length, 1);
  });

  it('answers an unknown cart with no items, and can empty it', async () => {
    const userId = shopper();
    assert.deepEqual(await cart.client.getCart({ userId }), { userId, items: [] });
    assert.deepEqual(await cart.client.emptyCart({ userId }), {});
  });

  it('counts a cart with items as a cache hit and an empty one as a miss', async () => {
    const hit = { cache: 'cart', result: 'hit' };
    const miss = { cache: 'cart', result: 'miss' };
    const [hits, misses] = [
      await counterValue(cart.metrics, 'cache_requests_total', hit),
      await counterValue(cart.metrics, 'cache_requests_total', miss),
    ];
    const userId = shopper();
    await cart.client.getCart({ userId });
    assert.equal(await counterValue(cart.metrics, 'cache_requests_total', miss), misses + 1);
    await cart.client.addItem({ userId, item: item('OLJCESPC7Z', 1) });
    await cart.client.getCart({ userId });
    assert.equal(await counterValue(cart.metrics, 'cache_requests_total', hit), hits + 1);
    assert.equal(await counterValue(cart.metrics, 'cache_requests_total', miss), misses + 1);
  });

  it('counts operations by operation and result', async () => {
    const count = (operation: string, result: string) =>
      counterValue(cart.metrics, 'cart_operations_total', { operation, result });
    const before = {
      added: await count('add_item', 'ok'),
      refused: await count('add_item', 'invalid_argument'),
      loaded: await count('get_cart', 'ok'),
      emptied: await count('empty_cart', 'ok'),
    };
    const userId = shopper();
    await cart.client.addItem({ userId, item: item('OLJCESPC7Z', 1) });
    await assert.rejects(cart.client.addItem({ userId, item: item('OLJCESPC7Z', 0) }));
    await cart.client.getCart({ userId });
    await cart.client.emptyCart({ userId });
    assert.equal(await count('add_item', 'ok'), before.added + 1);
    assert.equal(await count('add_item', 'invalid_argument'), before.refused + 1);
    assert.equal(await count('get_cart', 'ok'), before.loaded + 1);
    assert.equal(await count('empty_cart', 'ok'), before.emptied + 1);
  });

  it('sums 50 concurrent AddItem calls exactly', async () => {
    const userId = shopper();
    await Promise.all(
      Array.from({ length: 50 }, () => cart.client.addItem({ userId, item: item('OLJCESPC7Z', 2) })),
    );
    assert.deepEqual((await cart.client.getCart({ userId })).items, [item('OLJCESPC7Z', 100)]);
  });

  const invalidAdds: ReadonlyArray<[string, hipstershop.AddItemRequest, RegExp]> = [
    ['an empty user_id', { userId: '', item: item('OLJCESPC7Z', 1) }, /^user_id: required/],
    ['a blank user_id', { userId: '   ', item: item('OLJCESPC7Z', 1) }, /^user_id: required/],
    [
      'a user_id over 128 characters',
      { userId: 'u'.repeat(129), item: item('OLJCESPC7Z', 1) },
      /^user_id: longer/,
    ],
    ['a missing item', { userId: 'someone', item: undefined }, /^item: required/],
    ['an empty product_id', { userId: 'someone', item: item('', 1) }, /^item\.product_id: required/],
    ['a product_id with a space', { userId: 'someone', item: item('OLJ CESPC7Z', 1) }, /^item\.product_id: /],
    ['a product_id with a slash', { userId: 'someone', item: item('../etc', 1) }, /^item\.product_id: /],
    [
      'a product_id over 64 characters',
      { userId: 'someone', item: item('P'.repeat(65), 1) },
      /^item\.product_id:/,
    ],
    [
      'a zero quantity',
      { userId: 'someone', item: item('OLJCESPC7Z', 0) },
      /^item\.quantity: must be positive/,
    ],
    [
      'a negative quantity',
      { userId: 'someone', item: item('OLJCESPC7Z', -3) },
      /^item\.quantity: must be positive/,
    ],
    [
      'a quantity over 99',
      { userId: 'someone', item: item('OLJCESPC7Z', 100) },
      /^item\.quantity: at most 99/,
    ],
  ];
  for (const [what, request, reason] of invalidAdds) {
    it(`refuses an AddItem with ${what} with INVALID_ARGUMENT`, async () => {
      await assert.rejects(cart.client.addItem(request), expectStatus(status.INVALID_ARGUMENT, reason));
    });
  }

  it('accepts a user_id of exactly 128 characters and a quantity of 99', async () => {
    const userId = `${shopper()}-`.padEnd(128, 'x');
    await cart.client.addItem({ userId, item: item('OLJCESPC7Z', 99) });
    assert.deepEqual((await cart.client.getCart({ userId })).items, [item('OLJCESPC7Z', 99)]);
  });

  it('refuses an AddItem that would take a line past 999, and keeps the line as it was', async () => {
    const userId = shopper();
    for (let i = 0; i < 10; i++) await cart.client.addItem({ userId, item: item('OLJCESPC7Z', 99) });
    await assert.rejects(
      cart.client.addItem({ userId, item: item('OLJCESPC7Z', 10) }),
      expectStatus(status.INVALID_ARGUMENT, /^item\.quantity: the cart holds 990 .* limit of 999/),
    );
    await cart.client.addItem({ userId, item: item('OLJCESPC7Z', 9) });
    assert.deepEqual((await cart.client.getCart({ userId })).items, [item('OLJCESPC7Z', 999)]);
  });

  it('refuses a 101st distinct product with INVALID_ARGUMENT, but adds to existing lines', async () => {
    const userId = shopper();
    for (let i = 0; i < 100; i++) await cart.client.addItem({ userId, item: item(`P${i}`, 1) });
    await assert.rejects(
      cart.client.addItem({ userId, item: item('OLJCESPC7Z', 1) }),
      expectStatus(
        status.INVALID_ARGUMENT,
        /^item\.product_id: the cart already holds 100 different products/,
      ),
    );
    await cart.client.addItem({ userId, item: item('P7', 1) });
    const { items } = await cart.client.getCart({ userId });
    assert.equal(items.length, 100);
    assert.equal(items.find((line) => line.productId === 'P7')?.quantity, 2);
  });

  for (const [method, call] of [
    ['GetCart', (userId: string) => cart.client.getCart({ userId })],
    ['EmptyCart', (userId: string) => cart.client.emptyCart({ userId })],
  ] as const) {
    it(`refuses a ${method} without a user_id with INVALID_ARGUMENT`, async () => {
      await assert.rejects(call(''), expectStatus(status.INVALID_ARGUMENT, /^user_id: required/));
    });
    it(`refuses a ${method} with a user_id over 128 characters with INVALID_ARGUMENT`, async () => {
      await assert.rejects(call('u'.repeat(129)), expectStatus(status.INVALID_ARGUMENT, /^user_id: longer/));
    });
  }
});

describe('CartService over gRPC, when the cart storage fails', () => {
  let cart: RunningCart;
  const failure = () => Promise.reject(new Error('connection lost'));

  before(async () => {
    const broken: CartStore = {
      kind: 'redis',
      limits: CART_LIMITS,
      addItem: failure,
      get: failure,
      empty: failure,
      ping: failure,
      close: async () => {},
    };
    cart = await startCart(broken);
  });

  after(async () => {
    await cart.stop();
  });

  it('answers every method with UNAVAILABLE, hiding the cause, and counts it', async () => {
    const userId = shopper();
    const unavailable = expectStatus(status.UNAVAILABLE, /^cart storage is unavailable$/);
    await assert.rejects(cart.client.addItem({ userId, item: item('OLJCESPC7Z', 1) }), unavailable);
    await assert.rejects(cart.client.getCart({ userId }), unavailable);
    await assert.rejects(cart.client.emptyCart({ userId }), unavailable);
    for (const operation of ['add_item', 'get_cart', 'empty_cart'])
      assert.equal(
        await counterValue(cart.metrics, 'cart_operations_total', { operation, result: 'unavailable' }),
        1,
      );
  });
});

describe('CartService over gRPC, carts in Redis', () => {
  const keyPrefix = `test-cart-${randomUUID()}:`;
  const running: RunningCart[] = [];
  const start = async (): Promise<RunningCart> => {
    const cart = await startCart(new RedisCartStore({ url: REDIS_URL, keyPrefix }));
    running.push(cart);
    return cart;
  };

  afterEach(async () => {
    await Promise.all(running.splice(0).map((cart) => cart.stop()));
  });

  after(async () => {
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${keyPrefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('keeps carts across a restart of the service', async () => {
    const userId = shopper();
    const first = await start();
    await first.client.addItem({ userId, item: item('OLJCESPC7Z', 2) });
    await first.client.addItem({ userId, item: item('L9ECAV7KIM', 1) });
    await first.stop();
    running.splice(running.indexOf(first), 1);

    const second = await start();
    assert.deepEqual(await second.client.getCart({ userId }), {
      userId,
      items: [item('L9ECAV7KIM', 1), item('OLJCESPC7Z', 2)],
    });
    assert.equal(
      await counterValue(second.metrics, 'cache_requests_total', { cache: 'cart', result: 'hit' }),
      1,
    );
  });

  it('sums 50 concurrent AddItem calls exactly', async () => {
    const cart = await start();
    const userId = shopper();
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        cart.client.addItem({ userId, item: item('OLJCESPC7Z', (i % 3) + 1) }),
      ),
    );
    // 17 × 1 + 17 × 2 + 16 × 3
    assert.deepEqual((await cart.client.getCart({ userId })).items, [item('OLJCESPC7Z', 99)]);
  });

  it('lets concurrent AddItem calls fill a line to 999 and refuses the rest', async () => {
    const cart = await start();
    const userId = shopper();
    for (let i = 0; i < 10; i++) await cart.client.addItem({ userId, item: item('OLJCESPC7Z', 98) });
    const results = await Promise.allSettled(
      Array.from({ length: 30 }, () => cart.client.addItem({ userId, item: item('OLJCESPC7Z', 1) })),
    );
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 19);
    for (const result of results)
      if (result.status === 'rejected')
        expectStatus(status.INVALID_ARGUMENT, /^item\.quantity: /)(result.reason);
    assert.deepEqual((await cart.client.getCart({ userId })).items, [item('OLJCESPC7Z', 999)]);
  });

  it('empties a cart for good', async () => {
    const userId = shopper();
    const first = await start();
    await first.client.addItem({ userId, item: item('OLJCESPC7Z', 1) });
    await first.client.emptyCart({ userId });
    const second = await start();
    assert.deepEqual(await second.client.getCart({ userId }), { userId, items: [] });
  });
});
