import '@glasshouse/kit/register';
import {
  adminAddressVariable,
  createServiceContext,
  exitOnStartupFailure,
  serviceSpec,
} from '@glasshouse/kit';
import { createLoadgen, readLoadgenConfig } from './index.js';

async function main(): Promise<void> {
  const context = createServiceContext('loadgen');
  const { env, logger, lifecycle } = context;
  const config = readLoadgenConfig(env);
  lifecycle.installSignalHandlers();
  const { control, generator, start } = createLoadgen(config, context);
  const { host, port } = env.address(adminAddressVariable('loadgen'), {
    host: '0.0.0.0',
    port: serviceSpec('loadgen').adminPort,
  });
  const bound = await control.listen(host, port);
  lifecycle.onShutdown('control endpoint', () => control.close());
  lifecycle.onShutdown('shoppers', () => generator.stop());
  lifecycle.onShutdown('readiness', () => control.drain());
  const journeys = config.journeys.map((j) => j.name);
  logger.info(
    { 'server.port': bound, 'url.full': config.targetUrl.origin, journeys },
    'control endpoint listening',
  );
  await start();
}

main().catch((error: unknown) => exitOnStartupFailure('loadgen', error));
