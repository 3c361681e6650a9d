import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import type { ServiceError } from '@grpc/grpc-js';
import { status } from '@grpc/grpc-js';
import { hipstershop } from '@glasshouse/contracts';
import type { Logger } from '../logging.js';
import { createLogger } from '../logging.js';
import { ServiceMetrics } from '../metrics.js';
import type { PromiseClient } from './client.js';
import { createClient } from './client.js';
import type { Implementation } from './definition.js';
import { invalidArgument } from './errors.js';
import { GrpcServer } from './server.js';

type Currency = typeof hipstershop.CurrencyServiceService;
const METHOD = 'hipstershop.CurrencyService/Convert';

/** Convert's behaviour is chosen by toCode, so one method can answer every way. */
const currency: Implementation<Currency> = {
  getSupportedCurrencies: () => ({ currencyCodes: ['EUR', 'USD'] }),
  convert(request) {
    // Thrown before the handler returns a promise: the wrapper must answer it all the same.
    if (request.toCode === 'NOW') throw invalidArgument('toCode: refused at once');
    return convertLater(request);
  },
};

async function convertLater(request: hipstershop.CurrencyConversionRequest): Promise<hipstershop.Money> {
  switch (request.toCode) {
    case 'BAD':
      throw invalidArgument('from: bad');
    case 'BOOM':
      throw new Error('secret detail');
    case 'SLOW':
      await delay(500);
      break;
  }
  return { currencyCode: request.toCode, units: (request.from?.units ?? 0n) * 2n, nanos: 0 };
}

const convertTo = (toCode: string) => ({ from: { currencyCode: 'EUR', units: 21n, nanos: 0 }, toCode });

function isStatus(code: status, details?: string): (error: unknown) => boolean {
  return (error: unknown) => {
    const serviceError = error as ServiceError;
    assert.equal(
      serviceError.code,
      code,
      `expected status ${code}, got ${serviceError.code}: ${serviceError.details}`,
    );
    if (details !== undefined) assert.equal(serviceError.details, details);
    return true;
  };
}

/** The count of a histogram series whose labels include every given one, or undefined when absent. */
function seriesCount(exposition: string, metric: string, labels: Record<string, string>): number | undefined {
  for (const line of exposition.split('\n')) {
    const match = new RegExp(`^${metric}_count\\{([^}]*)\\} (\\S+)$`).exec(line);
    if (!match?.[1] || !match[2]) continue;
    const found = new Map([...match[1].matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1] ?? '', m[2] ?? '']));
    if (Object.entries(labels).every(([key, value]) => found.get(key) === value)) return Number(match[2]);
  }
  return undefined;
}

describe('GrpcServer and createClient', () => {
  const lines: string[] = [];
  const logger: Logger = createLogger({
    serviceName: 'grpc-test',
    level: 'error',
    destination: { write: (l) => lines.push(l) },
  });
  const serverMetrics = new ServiceMetrics({ defaultMetrics: false });
  const clientMetrics = new ServiceMetrics({ defaultMetrics: false });
  let server: GrpcServer;
  let client: PromiseClient<Currency>;

  before(async () => {
    server = new GrpcServer({ logger, metrics: serverMetrics }).add(
      hipstershop.CurrencyServiceService,
      currency,
    );
    const port = await server.listen('127.0.0.1', 0);
    assert.ok(port > 0);
    assert.equal(server.boundPort, port);
    client = createClient(hipstershop.CurrencyServiceClient, hipstershop.CurrencyServiceService, {
      address: `127.0.0.1:${port}`,
      metrics: clientMetrics,
      deadlineMs: 5000,
    });
  });

  after(async () => {
    client.close();
    await server.shutdown(1000);
  });

  it('answers a call with the handler’s value', async () => {
    assert.deepEqual(await client.convert(convertTo('USD')), { currencyCode: 'USD', units: 42n, nanos: 0 });
    assert.deepEqual(await client.getSupportedCurrencies({}), { currencyCodes: ['EUR', 'USD'] });
  });

  it('keeps the code and reason of an RpcError', async () => {
    await assert.rejects(client.convert(convertTo('BAD')), isStatus(status.INVALID_ARGUMENT, 'from: bad'));
    await assert.rejects(
      client.convert(convertTo('NOW')),
      isStatus(status.INVALID_ARGUMENT, 'toCode: refused at once'),
    );
  });

  it('answers INTERNAL without the details of an unexpected error, and logs it', async () => {
    await assert.rejects(client.convert(convertTo('BOOM')), (error: unknown) => {
      isStatus(status.INTERNAL, 'internal error')(error);
      assert.ok(!String((error as Error).message).includes('secret detail'));
      return true;
    });
    const logged = lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((r) => r.message === 'call failed');
    assert.equal(logged?.['rpc.method'], METHOD);
    assert.match(JSON.stringify(logged?.err), /secret detail/);
  });

  it('fails a call that outlives its deadline with DEADLINE_EXCEEDED', async () => {
    const start = Date.now();
    await assert.rejects(
      client.convert(convertTo('SLOW'), { deadlineMs: 50 }),
      isStatus(status.DEADLINE_EXCEEDED),
    );
    assert.ok(Date.now() - start < 450, 'the client gave up before the handler finished');
  });

  it('measures calls on both sides by method and status', async () => {
    const server = (await serverMetrics.scrape()).body;
    const client = (await clientMetrics.scrape()).body;
    for (const code of ['OK', 'INVALID_ARGUMENT', 'INTERNAL']) {
      const labels = { rpc_system: 'grpc', rpc_method: METHOD, rpc_grpc_status_code: code };
      assert.ok(
        (seriesCount(server, 'rpc_server_call_duration_seconds', labels) ?? 0) >= 1,
        `server ${code}`,
      );
      assert.ok(
        (seriesCount(client, 'rpc_client_call_duration_seconds', labels) ?? 0) >= 1,
        `client ${code}`,
      );
    }
    const internal = { rpc_method: METHOD, rpc_grpc_status_code: 'INTERNAL', error_type: 'Error' };
    assert.equal(seriesCount(server, 'rpc_server_call_duration_seconds', internal), 1);
    const late = {
      rpc_method: METHOD,
      rpc_grpc_status_code: 'DEADLINE_EXCEEDED',
      error_type: 'DEADLINE_EXCEEDED',
    };
    assert.equal(seriesCount(client, 'rpc_client_call_duration_seconds', late), 1);
    const supported = {
      rpc_method: 'hipstershop.CurrencyService/GetSupportedCurrencies',
      rpc_grpc_status_code: 'OK',
    };
    assert.equal(seriesCount(server, 'rpc_server_call_duration_seconds', supported), 1);
  });

  it('refuses an implementation that lacks a method', () => {
    const partial = { convert: currency.convert } as unknown as Implementation<Currency>;
    assert.throws(
      () =>
        new GrpcServer({ logger, metrics: serverMetrics }).add(hipstershop.CurrencyServiceService, partial),
      {
        message: 'no handler for getSupportedCurrencies',
      },
    );
  });
});
