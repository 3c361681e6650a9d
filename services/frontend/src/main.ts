import '@glasshouse/kit/register';
import { hipstershop, orders } from '@glasshouse/contracts';
import { addressVariable, createServiceContext, exitOnStartupFailure, serviceSpec } from '@glasshouse/kit';
import { buildFrontend } from './app.js';

async function main(): Promise<void> {
  const context = createServiceContext('frontend');
  const { client, env, logger, metrics, lifecycle } = context;
  lifecycle.installSignalHandlers();
  const reads = { idempotent: true };
  const app = buildFrontend({
    backends: {
      catalog: client(
        hipstershop.ProductCatalogServiceClient,
        hipstershop.ProductCatalogServiceService,
        'productcatalog',
        reads,
      ),
      currency: client(
        hipstershop.CurrencyServiceClient,
        hipstershop.CurrencyServiceService,
        'currency',
        reads,
      ),
      cart: client(hipstershop.CartServiceClient, hipstershop.CartServiceService, 'cart'),
      shipping: client(
        hipstershop.ShippingServiceClient,
        hipstershop.ShippingServiceService,
        'shipping',
        reads,
      ),
      checkout: client(hipstershop.CheckoutServiceClient, hipstershop.CheckoutServiceService, 'checkout'),
      orders: client(orders.OrderServiceClient, orders.OrderServiceService, 'orders', reads),
      recommendation: client(
        hipstershop.RecommendationServiceClient,
        hipstershop.RecommendationServiceService,
        'recommendation',
        reads,
      ),
      ad: client(hipstershop.AdServiceClient, hipstershop.AdServiceService, 'ad', reads),
    },
    logger,
    metrics,
    readinessChecks: context.readinessChecks,
    defaultCurrency: env.string('DEFAULT_CURRENCY', 'USD'),
  });
  const { host, port } = env.address(addressVariable('frontend'), {
    host: '0.0.0.0',
    port: serviceSpec('frontend').port,
  });
  await app.listen({ host, port });
  lifecycle.onShutdown('http server', () => app.close());
  logger.info({ 'server.port': port }, 'serving the shop');
}

main().catch((error: unknown) => exitOnStartupFailure('frontend', error));
