import '@glasshouse/kit/register';
import { hipstershop } from '@glasshouse/contracts';
import { addressVariable, createServiceContext, exitOnStartupFailure, serviceSpec } from '@glasshouse/kit';
import { buildFrontend } from './app.js';

async function main(): Promise<void> {
  const context = createServiceContext('frontend');
  const { env, logger, metrics, lifecycle } = context;
  context.lifecycle.installSignalHandlers();
  const app = buildFrontend({
    backends: {
      catalog: context.client(
        hipstershop.ProductCatalogServiceClient,
        hipstershop.ProductCatalogServiceService,
        'productcatalog',
        {
          idempotent: true,
        },
      ),
      currency: context.client(
        hipstershop.CurrencyServiceClient,
        hipstershop.CurrencyServiceService,
        'currency',
        {
          idempotent: true,
        },
      ),
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
