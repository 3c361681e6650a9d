import { AsyncResource } from 'node:async_hooks';

type Bind = (this: AsyncResource, fn: (...args: unknown[]) => unknown, thisArg?: unknown) => unknown;

/**
 * Node 20's AsyncResource#bind gives every bound function a deprecated `asyncResource`
 * accessor (DEP0172) built from two util.deprecate wrappers. HTTP/2 binds one function per
 * request, so every gRPC call paid for them: 4–5 % of the frontend's CPU. This bind keeps what
 * the function does (it runs in the resource's async scope, with the caller's `this` or the
 * given one, and keeps its length) and leaves out the accessor. Nothing changes where Node has
 * no such accessor. Returns whether the lean bind was installed.
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
