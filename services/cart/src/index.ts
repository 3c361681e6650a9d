import { hipstershop } from '@glasshouse/contracts';
import type { EnvReader, GrpcServer, ServiceRuntime } from '@glasshouse/kit';
import { cartService } from './server.js';
import { storeWithOutage } from './faults.js';
import type { CartStore } from './store.js';
import { DEFAULT_CART_TTL_SECONDS, openCartStore } from './store.js';

export type { CartStore } from './store.js';
export { MemoryCartStore, RedisCartStore } from './store.js';

export interface CartConfig {
  /** Redis keeps the carts when set; else they live in memory. */
  readonly redisUrl: URL | undefined;
  /** How long an untouched cart is kept. */
  readonly ttlSeconds: number;
}

export function readCartConfig(env: EnvReader): CartConfig {
  return Object.freeze({
    redisUrl: env.url('REDIS_URL'),
    ttlSeconds: env.int('CART_TTL_SECONDS', DEFAULT_CART_TTL_SECONDS, { min: 1 }),
  });
}

export interface CartDependencies extends ServiceRuntime {
  readonly server: GrpcServer;
  /** A store opened elsewhere (a test's); by default the one the configuration names. */
  readonly store?: CartStore;
}

/** Serves the CartService from Redis or memory; /readyz follows Redis when it is used. */
export function createCartService(config: CartConfig, deps: CartDependencies): void {
  const { logger } = deps;
  const store =
    deps.store ??
    openCartStore({
      redisUrl: config.redisUrl,
      ttlSeconds: config.ttlSeconds,
      onError: (error) => logger.warn({ err: error, 'db.system.name': 'redis' }, 'redis connection problem'),
    });
  deps.onShutdown('cart store', () => store.close());
  if (store.kind === 'redis') deps.addReadinessCheck({ name: 'redis', check: () => store.ping() });
  logger.info({ 'cart.store': store.kind }, 'cart store ready');
  deps.server.add(
    hipstershop.CartServiceService,
    cartService({ store: storeWithOutage(store, deps.flags), metrics: deps.metrics }),
  );
}
