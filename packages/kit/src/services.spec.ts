import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ServiceName, ServiceSpec } from './services.js';
import { SERVICES, addressVariable, adminAddressVariable, serviceSpec, startOrder } from './services.js';

const spec = (name: ServiceName, calls: ServiceName[]): ServiceSpec => ({
  name,
  protocol: 'grpc',
  port: 1,
  adminPort: 2,
  store: 'none',
  calls,
  implemented: true,
  summary: name,
});

describe('SERVICES', () => {
  it('names each service once, and every service it calls exists', () => {
    const names = SERVICES.map((s) => s.name);
    assert.equal(new Set(names).size, names.length);
    for (const service of SERVICES) {
      for (const target of service.calls)
        assert.ok(names.includes(target), `${service.name} calls unknown ${target}`);
      assert.ok(!service.calls.includes(service.name), `${service.name} calls itself`);
    }
  });

  it('gives every service ports of its own', () => {
    const owner = new Map<number, ServiceName>();
    for (const service of SERVICES) {
      // An HTTP service serves its admin endpoints on its main port; a worker has no main port.
      const ports = new Set([service.port, service.adminPort].filter((port) => port !== 0));
      if (service.protocol === 'grpc') assert.notEqual(service.port, service.adminPort, service.name);
      if (service.protocol === 'worker') assert.equal(service.port, 0, service.name);
      for (const port of ports) {
        assert.ok(port > 0 && port <= 65535, `${service.name} port ${port}`);
        assert.equal(owner.get(port), undefined, `${service.name} and ${owner.get(port)} share port ${port}`);
        owner.set(port, service.name);
      }
    }
  });

  it('is frozen', () => {
    assert.ok(Object.isFrozen(SERVICES));
    for (const service of SERVICES) {
      assert.ok(Object.isFrozen(service), service.name);
      assert.ok(Object.isFrozen(service.calls), service.name);
    }
  });

  it('looks services up by name', () => {
    assert.equal(serviceSpec('currency').port, 7000);
    assert.equal(serviceSpec('frontend').protocol, 'http');
    assert.throws(() => serviceSpec('nope' as ServiceName), { message: 'unknown service nope' });
  });
});

describe('startOrder', () => {
  it('puts every service after everything it calls', () => {
    const order = startOrder();
    assert.equal(order.length, SERVICES.length);
    assert.deepEqual(new Set(order.map((s) => s.name)), new Set(SERVICES.map((s) => s.name)));
    const position = new Map(order.map((s, i) => [s.name, i]));
    for (const service of order) {
      for (const target of service.calls) {
        assert.ok(
          (position.get(target) ?? Infinity) < (position.get(service.name) ?? -1),
          `${target} before ${service.name}`,
        );
      }
    }
    assert.equal(order.at(-1)?.name, 'loadgen');
  });

  it('orders a given list, ignoring calls to services outside it', () => {
    const order = startOrder([
      spec('frontend', ['checkout', 'ad']),
      spec('checkout', ['payment']),
      spec('payment', []),
    ]);
    assert.deepEqual(
      order.map((s) => s.name),
      ['payment', 'checkout', 'frontend'],
    );
  });

  it('refuses a dependency cycle', () => {
    assert.throws(() => startOrder([spec('cart', ['checkout']), spec('checkout', ['cart'])]), {
      message: /^dependency cycle through (cart|checkout)$/,
    });
  });
});

describe('address variables', () => {
  it('are the upper-cased service name with _ADDR and _ADMIN_ADDR', () => {
    assert.equal(addressVariable('productcatalog'), 'PRODUCTCATALOG_ADDR');
    assert.equal(addressVariable('currency'), 'CURRENCY_ADDR');
    assert.equal(adminAddressVariable('productcatalog'), 'PRODUCTCATALOG_ADMIN_ADDR');
    for (const { name } of SERVICES) assert.match(addressVariable(name), /^[A-Z]+_ADDR$/);
  });
});
