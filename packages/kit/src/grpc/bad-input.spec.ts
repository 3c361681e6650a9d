import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ServiceError } from '@grpc/grpc-js';
import { Client, Metadata, credentials, status } from '@grpc/grpc-js';
import { hipstershop } from '@glasshouse/contracts';
import { createLogger } from '../logging.js';
import { ServiceMetrics } from '../metrics.js';
import { MAX_DETAILS_LENGTH, invalidArgument } from './errors.js';
import { DEFAULT_MAX_REQUEST_BYTES, GrpcServer } from './server.js';

const CONVERT = '/hipstershop.CurrencyService/Convert';

describe('GrpcServer and bad input', () => {
  const server = new GrpcServer({
    logger: createLogger({ serviceName: 'grpc-bad-input-test', level: 'silent' }),
    metrics: new ServiceMetrics({ defaultMetrics: false }),
  }).add(hipstershop.CurrencyServiceService, {
    getSupportedCurrencies: () => ({ currencyCodes: ['EUR'] }),
    // Quotes the input back, as a handler naming a bad field does.
    convert: (request) => {
      throw invalidArgument(`to_code: currency "${request.toCode}" is not supported`);
    },
  });
  let client: Client;

  before(async () => {
    const port = await server.listen('127.0.0.1', 0);
    client = new Client(`127.0.0.1:${port}`, credentials.createInsecure());
  });
  after(async () => {
    client.close();
    await server.shutdown(100);
  });

  /** Sends bytes as they are to a method, and resolves with the status it is answered with. */
  const send = (path: string, bytes: Buffer) =>
    new Promise<ServiceError | undefined>((resolve) => {
      client.makeUnaryRequest(
        path,
        (value: Buffer) => value,
        (value: Buffer) => value,
        bytes,
        new Metadata(),
        { deadline: Date.now() + 5000 },
        (error) => resolve(error ?? undefined),
      );
    });

  it('answers a message that does not decode with INVALID_ARGUMENT, not INTERNAL', async () => {
    // Field 1 as a length-delimited value longer than the message.
    const error = await send(CONVERT, Buffer.from([0x0a, 0xff, 0x01, 0x41]));
    assert.equal(error?.code, status.INVALID_ARGUMENT, error?.details);
    assert.match(error.details, /not a valid message for hipstershop\.CurrencyService\/Convert/);
  });

  it('answers a request over the size limit with RESOURCE_EXHAUSTED before any deadline', async () => {
    const huge = hipstershop.CurrencyConversionRequest.encode({
      from: undefined,
      toCode: 'x'.repeat(DEFAULT_MAX_REQUEST_BYTES + 1),
    }).finish();
    const error = await send(CONVERT, Buffer.from(huge));
    assert.equal(error?.code, status.RESOURCE_EXHAUSTED, error?.details);
  });

  it('cuts a status message that quotes a large input, so the answer is not lost', async () => {
    const large = hipstershop.CurrencyConversionRequest.encode({
      from: undefined,
      toCode: 'y'.repeat(500_000),
    });
    const error = await send(CONVERT, Buffer.from(large.finish()));
    assert.equal(error?.code, status.INVALID_ARGUMENT, error?.details);
    assert.ok(error.details.length <= MAX_DETAILS_LENGTH + 1, `${error.details.length} characters`);
    assert.match(error.details, /^to_code: currency "y+…$/);
  });
});
