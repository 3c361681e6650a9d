import '@glasshouse/kit/register';
import {
  adminAddressVariable,
  createServiceContext,
  exitOnStartupFailure,
  serviceSpec,
} from '@glasshouse/kit';
import { readLoadgenConfig } from './config.js';
import { ControlServer, shopReachable, untilReady } from './control.js';
import { TrafficGenerator } from './generator.js';
import { seededRandom } from './journeys.js';
import { TrafficMetrics } from './metrics.js';

async function main(): Promise<void> {
  const context = createServiceContext('loadgen');
  const { env, logger, metrics, lifecycle } = context;
  const config = readLoadgenConfig(env);
  lifecycle.installSignalHandlers();
  const generator = new TrafficGenerator({
    target: config.targetUrl,
    settings: config.settings,
    limits: config.limits,
    journeys: config.journeys,
    metrics: new TrafficMetrics(metrics),
    logger,
    random: config.seed === undefined ? Math.random : seededRandom(config.seed),
  });
  const shop = shopReachable(config.targetUrl);
  context.addReadinessCheck(shop);
  const control = new ControlServer({ generator, metrics, checks: context.readinessChecks });
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

  // Shoppers set out once the shop answers, so a slow start is not a burst of failures.
  await untilReady(shop, logger);
  generator.start();
  logger.info({ ...config.settings, ...config.limits }, 'shoppers on their way');
}

main().catch((error: unknown) => exitOnStartupFailure('loadgen', error));
