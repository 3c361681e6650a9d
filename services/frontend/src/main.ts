import '@glasshouse/kit/register';
import { addressVariable, createServiceContext, exitOnStartupFailure, serviceSpec } from '@glasshouse/kit';
import { createFrontend, readFrontendConfig } from './index.js';

async function main(): Promise<void> {
  const context = createServiceContext('frontend');
  const { env, logger, lifecycle } = context;
  lifecycle.installSignalHandlers();
  const app = createFrontend(readFrontendConfig(env), context);
  const { host, port } = env.address(addressVariable('frontend'), {
    host: '0.0.0.0',
    port: serviceSpec('frontend').port,
  });
  await app.listen({ host, port });
  lifecycle.onShutdown('http server', () => app.close());
  logger.info({ 'server.port': port }, 'serving the shop');
}

main().catch((error: unknown) => exitOnStartupFailure('frontend', error));
