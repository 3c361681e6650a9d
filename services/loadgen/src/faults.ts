import type { FeatureFlags } from '@glasshouse/kit';
import type { TrafficGenerator } from './generator.js';

/** How often the surge follows its flag; the generator applies shopper changes on its next tick. */
const FOLLOW_MS = 1000;

/**
 * The traffic-surge scenario: while on, the shoppers are multiplied (within the settings'
 * bound); when it goes off, the number set before comes back. Returns the stop function.
 */
export function followTrafficSurge(
  generator: TrafficGenerator,
  flags: FeatureFlags,
  usualShoppers: () => number,
): () => void {
  let before: number | undefined;
  const timer = setInterval(() => {
    const on = flags.isOn('traffic-surge');
    if (on && before === undefined) {
      before = usualShoppers();
      const multiplier = flags.number('traffic-surge', 'multiplier', 5);
      generator.configure({ shoppers: Math.min(1000, Math.round(before * multiplier)) });
    } else if (!on && before !== undefined) {
      generator.configure({ shoppers: before });
      before = undefined;
    }
  }, FOLLOW_MS);
  timer.unref();
  return () => clearInterval(timer);
}
