import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ClientReadableStream, ServiceClientConstructor, ServiceError } from '@grpc/grpc-js';
import { credentials, makeGenericClientConstructor, status } from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';
import { hipstershop } from '@glasshouse/contracts';
import { createLogger } from '../logging.js';
import { ServiceMetrics } from '../metrics.js';
import { waitFor } from '../wait.js';
import { GrpcServer } from './server.js';

interface HealthResponse {
  status: string;
}
type GenericClient = InstanceType<ServiceClientConstructor>;
/** The standard grpc.health.v1.Health client, as a probe or another team's tool would call it. */
interface HealthClient extends GenericClient {
  check(
    request: { service: string },
    callback: (error: ServiceError | null, response?: HealthResponse) => void,
  ): void;
  watch(request: { service: string }): ClientReadableStream<HealthResponse>;
}
const HealthClientConstructor = makeGenericClientConstructor(healthService, 'grpc.health.v1.Health');

function healthClient(address: string): HealthClient {
  return new HealthClientConstructor(address, credentials.createInsecure()) as HealthClient;
}

function check(client: HealthClient, service: string): Promise<string> {
  return new Promise((resolve, reject) => {
    client.check({ service }, (error, response) => (error ? reject(error) : resolve(response?.status ?? '')));
  });
}

describe('GrpcServer health', () => {
  const logger = createLogger({ serviceName: 'health-test', level: 'silent' });
  let server: GrpcServer;
  let client: HealthClient;

  before(async () => {
    server = new GrpcServer({ logger, metrics: new ServiceMetrics({ defaultMetrics: false }) });
    server.add(hipstershop.CurrencyServiceService, {
      getSupportedCurrencies: () => ({ currencyCodes: [] }),
      convert: () => ({ currencyCode: 'EUR', units: 0n, nanos: 0 }),
    });
    const port = await server.listen('127.0.0.1', 0);
    client = healthClient(`127.0.0.1:${port}`);
  });

  after(async () => {
    client.close();
    await server.shutdown(100);
  });

  it('answers SERVING once listening, overall and for each added service', async () => {
    assert.equal(await check(client, ''), 'SERVING');
    assert.equal(await check(client, 'hipstershop.CurrencyService'), 'SERVING');
  });

  it('answers NOT_FOUND for a service it does not serve', async () => {
    await assert.rejects(check(client, 'hipstershop.CartService'), { code: status.NOT_FOUND });
  });

  it('follows setServing', async () => {
    server.setServing('NOT_SERVING');
    assert.equal(await check(client, 'hipstershop.CurrencyService'), 'NOT_SERVING');
    server.setServing('SERVING');
    assert.equal(await check(client, 'hipstershop.CurrencyService'), 'SERVING');
  });

  it('reports NOT_SERVING to watchers when shutdown starts, then stops answering', async () => {
    const seen: string[] = [];
    const watch = client.watch({ service: '' });
    watch.on('data', (response: HealthResponse) => seen.push(response.status));
    watch.on('error', () => undefined);
    await waitFor(() => seen.includes('SERVING'), { what: 'the first SERVING' });
    // The open watch keeps the server from finishing gracefully, so the grace period ends it.
    const stopping = server.shutdown(100);
    await waitFor(() => seen.includes('NOT_SERVING'), { what: 'NOT_SERVING' });
    await stopping;
    assert.deepEqual(seen, ['SERVING', 'NOT_SERVING']);
    watch.cancel();
    await assert.rejects(check(client, ''), { code: status.UNAVAILABLE });
  });
});
