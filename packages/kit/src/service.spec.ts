import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hipstershop } from '@glasshouse/contracts';
import { ConfigError, envReader } from './config.js';
import { createServiceContext, dependencyAddress } from './service.js';

describe('dependencyAddress', () => {
  it('is localhost on the service’s default port when unset', () => {
    assert.equal(dependencyAddress(envReader({}), 'currency'), '127.0.0.1:7000');
  });

  it('follows <NAME>_ADDR, reaching a bare port on localhost', () => {
    assert.equal(
      dependencyAddress(envReader({ CURRENCY_ADDR: 'currency:7001' }), 'currency'),
      'currency:7001',
    );
    assert.equal(dependencyAddress(envReader({ CURRENCY_ADDR: '7002' }), 'currency'), '127.0.0.1:7002');
    assert.equal(
      dependencyAddress(envReader({ CURRENCY_ADDR: '0.0.0.0:7003' }), 'currency'),
      '127.0.0.1:7003',
    );
  });

  it('fails with a ConfigError naming the variable', () => {
    assert.throws(
      () => dependencyAddress(envReader({ CART_ADDR: 'cart' }), 'cart'),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(error.variable, 'CART_ADDR');
        return true;
      },
    );
  });
});

describe('createServiceContext', () => {
  it('refuses a deadline below one millisecond', () => {
    assert.throws(() => createServiceContext('currency', { RPC_DEADLINE_MS: '0' }), {
      name: 'ConfigError',
      message: /^RPC_DEADLINE_MS: /,
    });
  });

  it('collects readiness checks and closes clients on shutdown', async () => {
    const context = createServiceContext('currency', { LOG_LEVEL: 'silent' });
    assert.equal(context.name, 'currency');
    context.addReadinessCheck({ name: 'db', check: () => Promise.resolve() });
    assert.deepEqual(
      context.readinessChecks.map((c) => c.name),
      ['db'],
    );
    const currency = context.client(
      hipstershop.CurrencyServiceClient,
      hipstershop.CurrencyServiceService,
      'currency',
    );
    await context.lifecycle.shutdown();
    await assert.rejects(currency.getSupportedCurrencies({}), /shut down/);
  });
});
