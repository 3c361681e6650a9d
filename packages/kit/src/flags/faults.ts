import { setTimeout as sleep } from 'node:timers/promises';
import { status } from '@grpc/grpc-js';
import type { ServiceDefinition } from '../grpc/definition.js';
import type { Implementation } from '../grpc/definition.js';
import { RpcError } from '../grpc/errors.js';
import type { FeatureFlags } from './feature-flags.js';
import type { ScenarioName } from './scenarios.js';

/**
 * What a scenario does before a handler runs: nothing (undefined, synchronously — the off path
 * costs one map lookup), throw, or a promise that delays the call.
 */
export type Fault = () => Promise<void> | undefined;

/**
 * The handlers of `implementation`, each running `faultOf(method, flags)` first when it gives
 * one; the handlers themselves when the service has no flags.
 */
export function withFaults<S extends ServiceDefinition>(
  implementation: Implementation<S>,
  flags: FeatureFlags | undefined,
  faultOf: (method: keyof S & string, flags: FeatureFlags) => Fault | undefined,
): Implementation<S> {
  if (!flags) return implementation;
  const wrapped: Record<string, unknown> = {};
  for (const method of Object.keys(implementation) as (keyof S & string)[]) {
    const handler = implementation[method];
    const fault = faultOf(method, flags);
    wrapped[method] = fault
      ? (request: never, call: never) => {
          const pending = fault();
          return pending ? pending.then(() => handler(request, call)) : handler(request, call);
        }
      : handler;
  }
  return wrapped as Implementation<S>;
}

/** Fails a share (`rate`) of the calls with the error `make` returns, while the scenario is on. */
export function failing(flags: FeatureFlags, scenario: ScenarioName, make: () => Error): () => undefined {
  return () => {
    if (!flags.isOn(scenario)) return undefined;
    if (Math.random() < flags.number(scenario, 'rate', 1)) throw make();
    return undefined;
  };
}

/** Holds every call `delay-ms` while the scenario is on. */
export function delaying(flags: FeatureFlags, scenario: ScenarioName, fallbackMs: number): Fault {
  return () => (flags.isOn(scenario) ? sleep(flags.number(scenario, 'delay-ms', fallbackMs)) : undefined);
}

/**
 * While the scenario is on, spins the CPU `block-ms` synchronously every half second, whether
 * calls come or not: the event loop stalls that long, and still answers scrapes in between.
 * Returns the function that stops it.
 */
export function burning(flags: FeatureFlags, scenario: ScenarioName, fallbackMs: number): () => void {
  const timer = setInterval(() => {
    if (!flags.isOn(scenario)) return;
    const until = performance.now() + flags.number(scenario, 'block-ms', fallbackMs);
    while (performance.now() < until) {
      // Busy on purpose: this scenario is the CPU burn.
    }
  }, 500);
  timer.unref();
  return () => clearInterval(timer);
}

/** Keeps `kb-per-call` KiB on the V8 heap per call and never lets go, while the scenario is on. */
export function leaking(flags: FeatureFlags, scenario: ScenarioName, fallbackKb: number): Fault {
  const kept: number[][] = [];
  return () => {
    if (!flags.isOn(scenario)) return undefined;
    // 8 bytes a double: 128 numbers a KiB, on the heap (a Buffer would be off it).
    kept.push(new Array<number>(flags.number(scenario, 'kb-per-call', fallbackKb) * 128).fill(Math.random()));
    return undefined;
  };
}

/** The error of an injected INTERNAL failure. */
export const internalFault = (what: string): RpcError => new RpcError(status.INTERNAL, what);
/** The error of an injected UNAVAILABLE failure. */
export const unavailableFault = (what: string): RpcError => new RpcError(status.UNAVAILABLE, what);
