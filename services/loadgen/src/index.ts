import type { ReadinessCheck, ServiceRuntime } from '@glasshouse/kit';
import type { LoadgenConfig } from './config.js';
import { ControlServer, shopReachable, untilReady } from './control.js';
import { followLoginBruteForce } from './brute-force.js';
import { followTrafficSurge } from './faults.js';
import { TrafficGenerator } from './generator.js';
import { seededRandom } from './journeys.js';
import { TrafficMetrics } from './metrics.js';

export type { LoadgenConfig } from './config.js';
export { readLoadgenConfig } from './config.js';

export interface LoadgenDependencies extends ServiceRuntime {
  /** The checks /readyz of the control endpoint answers with (the shop's reachability is added). */
  readonly readinessChecks: readonly ReadinessCheck[];
}

/** The load generator: shoppers (not yet on their way) and the control endpoint that steers them. */
export interface Loadgen {
  readonly generator: TrafficGenerator;
  readonly control: ControlServer;
  /** Waits until the shop answers, then sends the shoppers out. */
  readonly start: () => Promise<void>;
}

/** Builds the shoppers and their control endpoint; the caller listens and calls start(). */
export function createLoadgen(config: LoadgenConfig, deps: LoadgenDependencies): Loadgen {
  const { logger, metrics } = deps;
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
  deps.addReadinessCheck(shop);
  const control = new ControlServer({ generator, metrics, checks: deps.readinessChecks });
  return {
    generator,
    control,
    start: async () => {
      // Shoppers set out once the shop answers, so a slow start is not a burst of failures.
      await untilReady(shop, logger);
      generator.start();
      if (deps.flags) {
        const stop = followTrafficSurge(generator, deps.flags, () => generator.status().settings.shoppers);
        deps.onShutdown('traffic surge', stop);
        const attack = followLoginBruteForce({
          target: config.targetUrl,
          flags: deps.flags,
          metrics,
          logger,
        });
        deps.onShutdown('login brute force', attack);
      }
      logger.info({ ...config.settings, ...config.limits }, 'shoppers on their way');
    },
  };
}
