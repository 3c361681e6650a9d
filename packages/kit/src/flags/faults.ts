import { setTimeout as sleep } from 'node:timers/promises';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
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

/** The heap readings the leak goes by: V8's used bytes and the isolate's limit. */
export type HeapReading = () => { readonly used_heap_size: number; readonly heap_size_limit: number };

/**
 * Past this share of its heap limit the leak holds: V8 ends the process a few percent further
 * on, and the scenario's signature is the heap near its limit (HeapNearLimit), not a crash.
 */
export const LEAK_HOLDS_AT = 0.93;

/**
 * One full collection, as the restart that ships a fix would give: the leak's arrays live in V8's
 * large-object space, which only a major collection frees, and a service at rest after switch-off
 * may not run one for many minutes (HeapNearLimit stayed firing 180 s after off in the proofs).
 */
export function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as unknown;
  if (typeof gc === 'function') (gc as () => void)();
}

/**
 * Keeps `kb-per-call` KiB on the V8 heap per call while the scenario is on, up to
 * LEAK_HOLDS_AT of the heap limit; switched off, the kept memory is let go (as the fix would).
 */
export function leaking(
  flags: FeatureFlags,
  scenario: ScenarioName,
  fallbackKb: number,
  heap: HeapReading = getHeapStatistics,
): Fault {
  let kept: number[][] = [];
  return () => {
    if (!flags.isOn(scenario)) {
      if (kept.length > 0) {
        kept = [];
        collectGarbage();
      }
      return undefined;
    }
    const bytes = flags.number(scenario, 'kb-per-call', fallbackKb) * 1024;
    const { used_heap_size: used, heap_size_limit: limit } = heap();
    if (used + bytes > LEAK_HOLDS_AT * limit) return undefined;
    // 8 bytes a double: on the heap (a Buffer would be off it).
    kept.push(new Array<number>(bytes / 8).fill(Math.random()));
    return undefined;
  };
}

/** The error of an injected INTERNAL failure. */
export const internalFault = (what: string): RpcError => new RpcError(status.INTERNAL, what);
/** The error of an injected UNAVAILABLE failure. */
export const unavailableFault = (what: string): RpcError => new RpcError(status.UNAVAILABLE, what);
