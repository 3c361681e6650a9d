import '@glasshouse/kit/register';
import { hipstershop } from '@glasshouse/contracts';
import { runGrpcService } from '@glasshouse/kit';
import { cartService } from './server.js';
import { DEFAULT_CART_TTL_SECONDS, openCartStore } from './store.js';

void runGrpcService('cart', ({ env, logger, metrics, lifecycle, addReadinessCheck }, server) => {
  const store = openCartStore({
    redisUrl: env.url('REDIS_URL'),
    ttlSeconds: env.int('CART_TTL_SECONDS', DEFAULT_CART_TTL_SECONDS, { min: 1 }),
    onError: (error) => logger.warn({ err: error, 'db.system.name': 'redis' }, 'redis connection problem'),
  });
  lifecycle.onShutdown('cart store', () => store.close());
  if (store.kind === 'redis') addReadinessCheck({ name: 'redis', check: () => store.ping() });
  logger.info({ 'cart.store': store.kind }, 'cart store ready');
  server.add(hipstershop.CartServiceService, cartService({ store, metrics }));
});
