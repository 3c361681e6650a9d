import assert from 'node:assert/strict';
import { AsyncLocalStorage, AsyncResource, executionAsyncId } from 'node:async_hooks';
import { describe, it } from 'node:test';
import { installLeanAsyncResourceBind } from './async-resource-bind.js';

describe('installLeanAsyncResourceBind', () => {
  const nodeHasAccessor = Object.hasOwn(
    new AsyncResource('probe').bind(() => undefined),
    'asyncResource',
  );
  const installed = installLeanAsyncResourceBind();

  it('leaves out the deprecated asyncResource accessor where Node has one', () => {
    const bound = new AsyncResource('test').bind(() => undefined);
    assert.equal(Object.hasOwn(bound, 'asyncResource'), false);
    assert.equal(installed, nodeHasAccessor);
    // Installed once: a second call finds nothing left to replace.
    assert.equal(installLeanAsyncResourceBind(), false);
  });

  it("runs the function in the resource's scope, with the caller's this and the arguments", () => {
    const resource = new AsyncResource('test');
    let seen: { id: number; self: unknown; args: unknown[] } | undefined;
    const bound = resource.bind(function (this: unknown, ...args: unknown[]) {
      seen = { id: executionAsyncId(), self: this, args };
      return 'result';
    });
    const self = { name: 'caller' };
    assert.equal(bound.call(self, 1, 'two'), 'result');
    assert.deepEqual(seen, { id: resource.asyncId(), self, args: [1, 'two'] });
  });

  it('binds a given this, keeps the length, and serves the static AsyncResource.bind', () => {
    const self = { name: 'given' };
    const method = function (this: unknown, a: number, b: number) {
      return { self: this, sum: a + b };
    };
    // Node takes a thisArg here; @types/node 20 declares only the function.
    const bindWithThis = new AsyncResource('test') as unknown as {
      bind<F>(fn: F, thisArg: unknown): F;
    };
    const bound = bindWithThis.bind(method, self);
    assert.equal(bound.length, 2);
    assert.deepEqual(bound.call({ name: 'other' }, 2, 3), { self, sum: 5 });
    assert.equal(AsyncResource.bind((a: number) => a * 2)(21), 42);
  });

  it('carries the AsyncLocalStorage store of where it was bound', async () => {
    const storage = new AsyncLocalStorage<string>();
    const bound = storage.run('at bind time', () => AsyncResource.bind(() => storage.getStore()));
    const later = await storage.run('elsewhere', () => Promise.resolve().then(bound));
    assert.equal(later, 'at bind time');
  });

  it("keeps Node's error for something that is not a function", () => {
    assert.throws(
      () => new AsyncResource('test').bind(42 as unknown as () => void),
      (error: NodeJS.ErrnoException) => error.code === 'ERR_INVALID_ARG_TYPE',
    );
  });
});
