import { AsyncResource } from 'node:async_hooks';

type Bind = (this: AsyncResource, fn: (...args: unknown[]) => unknown, thisArg?: unknown) => unknown;

/**
 * Node 20's AsyncResource#bind adds a deprecated `asyncResource` accessor (DEP0172) to every bound
 * function, and HTTP/2 binds one per gRPC call: this bind does the same without it (cost in
 * bench/README.md). Nothing changes where Node has no such accessor. Returns whether it was installed.
 */
export function installLeanAsyncResourceBind(): boolean {
  const probe = new AsyncResource('glasshouse.probe').bind(() => undefined);
  if (!Object.hasOwn(probe, 'asyncResource')) return false;
  const prototype = AsyncResource.prototype as unknown as { bind: Bind };
  const original = prototype.bind;
  prototype.bind = function bind(fn, thisArg) {
    // Anything but a function gets Node's own error.
    if (typeof fn !== 'function') return original.call(this, fn, thisArg);
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the scope the function runs in
    const resource = this;
    const bound =
      thisArg === undefined
        ? function (this: unknown, ...args: unknown[]) {
            return resource.runInAsyncScope(fn, this, ...args);
          }
        : resource.runInAsyncScope.bind(resource, fn, thisArg);
    Object.defineProperty(bound, 'length', { configurable: true, value: fn.length });
    return bound;
  };
  return true;
}
