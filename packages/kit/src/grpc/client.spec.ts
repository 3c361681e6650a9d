import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Metadata, status } from '@grpc/grpc-js';
import { hipstershop } from '@glasshouse/contracts';
import { createLogger } from '../logging.js';
import { ServiceMetrics } from '../metrics.js';
import { createClient } from './client.js';
import { unavailable } from './errors.js';
import { GrpcServer } from './server.js';

type Currency = typeof hipstershop.CurrencyServiceService;
const newClient = (address: string, metrics: ServiceMetrics, idempotent?: boolean) =>
  createClient<Currency>(hipstershop.CurrencyServiceClient, hipstershop.CurrencyServiceService, {
    address,
    metrics,
    deadlineMs: 5000,
    ...(idempotent === undefined ? {} : { idempotent }),
  });

describe('createClient', () => {
  const metrics = new ServiceMetrics({ defaultMetrics: false });
  let server: GrpcServer;
  let address: string;
  /** GetSupportedCurrencies fails UNAVAILABLE this many times before it answers. */
  let failuresLeft = 0;
  let calls = 0;
  let lastTenant: string | undefined;

  before(async () => {
    server = new GrpcServer({
      logger: createLogger({ serviceName: 'client-test', level: 'silent' }),
      metrics,
    });
    server.add(hipstershop.CurrencyServiceService, {
      getSupportedCurrencies: () => {
        calls++;
        if (failuresLeft-- > 0) throw unavailable('warming up');
        return { currencyCodes: ['EUR'] };
      },
      convert: (request, call) => {
        lastTenant = call.metadata.get('x-tenant')[0]?.toString();
        assert.ok(Number(call.deadline) > Date.now(), 'the handler sees the caller’s deadline');
        return { currencyCode: request.toCode, units: 1n, nanos: 0 };
      },
    });
    address = `127.0.0.1:${await server.listen('127.0.0.1', 0)}`;
  });

  after(async () => {
    await server.shutdown(1000);
  });

  it('sends the call’s metadata', async () => {
    const client = newClient(address, metrics);
    try {
      const metadata = new Metadata();
      metadata.set('x-tenant', 'shop-1');
      await client.convert({ from: undefined, toCode: 'USD' }, { metadata });
      assert.equal(lastTenant, 'shop-1');
    } finally {
      client.close();
    }
  });

  it('retries UNAVAILABLE when the methods are idempotent', async () => {
    const client = newClient(address, metrics, true);
    try {
      [failuresLeft, calls] = [2, 0];
      assert.deepEqual(await client.getSupportedCurrencies({}), { currencyCodes: ['EUR'] });
      assert.equal(calls, 3);
    } finally {
      client.close();
    }
  });

  it('does not retry when the methods are not idempotent', async () => {
    const client = newClient(address, metrics);
    try {
      [failuresLeft, calls] = [1, 0];
      await assert.rejects(client.getSupportedCurrencies({}), {
        code: status.UNAVAILABLE,
        details: 'warming up',
      });
      assert.equal(calls, 1);
    } finally {
      client.close();
    }
  });

  it('fails UNAVAILABLE, and measures it, when nobody listens', async () => {
    const own = new ServiceMetrics({ defaultMetrics: false });
    const probe = new GrpcServer({
      logger: createLogger({ serviceName: 'probe', level: 'silent' }),
      metrics: own,
    });
    const port = await probe.listen('127.0.0.1', 0);
    await probe.shutdown(0);
    const client = newClient(`127.0.0.1:${port}`, own);
    try {
      await assert.rejects(client.convert({ from: undefined, toCode: 'USD' }, { deadlineMs: 2000 }), {
        code: status.UNAVAILABLE,
      });
    } finally {
      client.close();
    }
    assert.match(
      (await own.scrape()).body,
      /^rpc_client_call_duration_seconds_count\{[^}]*rpc_grpc_status_code="UNAVAILABLE",error_type="UNAVAILABLE"\} 1$/m,
    );
  });

  it('refuses a generated client that lacks a method of the definition', () => {
    const definition = {
      ...hipstershop.CurrencyServiceService,
      refund: hipstershop.CurrencyServiceService.convert,
    };
    assert.throws(
      () => createClient(hipstershop.CurrencyServiceClient, definition, { address, metrics, deadlineMs: 1 }),
      {
        message: 'generated client has no method refund',
      },
    );
  });
});
