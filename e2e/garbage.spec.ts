import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http2';
import { connect as http2Connect } from 'node:http2';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { ServiceError } from '@grpc/grpc-js';
import { Client, Metadata, credentials, status } from '@grpc/grpc-js';
import { checkout, hipstershop, inventory, orders, payment } from '@glasshouse/contracts';
import type { ServiceDefinition, ServiceName } from '@glasshouse/kit';
import type { ProcessShop } from '@glasshouse/testing';
import { startProcessShop } from '@glasshouse/testing';

/** Every gRPC API of the shop with the service that serves it. */
const APIS: readonly (readonly [ServiceName, ServiceDefinition])[] = [
  ['productcatalog', hipstershop.ProductCatalogServiceService],
  ['currency', hipstershop.CurrencyServiceService],
  ['cart', hipstershop.CartServiceService],
  ['recommendation', hipstershop.RecommendationServiceService],
  ['ad', hipstershop.AdServiceService],
  ['shipping', hipstershop.ShippingServiceService],
  ['payment', hipstershop.PaymentServiceService],
  ['payment', payment.ChargeReversalServiceService],
  ['email', hipstershop.EmailServiceService],
  ['checkout', hipstershop.CheckoutServiceService],
  ['checkout', checkout.RefundServiceService],
  ['orders', orders.OrderServiceService],
  ['inventory', inventory.InventoryServiceService],
];
const GRPC_SERVICES = [...new Set(APIS.map(([name]) => name))];

/** Bytes that are not HTTP/2: noise, HTTP/1.1, a cut-off preface, a run of zeros. */
const NOT_HTTP2: readonly Buffer[] = [
  randomBytes(1024),
  Buffer.from('GET / HTTP/1.1\r\nHost: shop\r\n\r\n'),
  Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n'),
  Buffer.alloc(64 * 1024),
];

/** Writes bytes to a port and waits (bounded) for the server to close or answer. */
function sendRaw(address: string, bytes: Buffer): Promise<void> {
  const [host = '127.0.0.1', port = '0'] = address.split(':');
  return new Promise((resolve) => {
    const socket = connect({ host, port: Number(port) });
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve();
    };
    const timer = setTimeout(done, 1500);
    socket.on('error', done);
    socket.on('close', done);
    socket.on('data', () => undefined);
    socket.write(bytes, () => socket.end());
  });
}

/** One HTTP/2 gRPC request whose message framing lies (a length larger than the body); resolves with grpc-status. */
function sendBadFrame(address: string, path: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const session = http2Connect(`http://${address}`);
    session.on('error', () => resolve(undefined));
    const stream = session.request({
      ':method': 'POST',
      ':path': path,
      'content-type': 'application/grpc',
      te: 'trailers',
    });
    let grpcStatus: string | undefined;
    const finish = () => {
      clearTimeout(timer);
      session.close();
      resolve(grpcStatus);
    };
    const timer = setTimeout(finish, 3000);
    stream.on('response', (headers) => (grpcStatus ??= headers['grpc-status']?.toString()));
    stream.on(
      'trailers',
      (trailers: IncomingHttpHeaders) => (grpcStatus ??= trailers['grpc-status']?.toString()),
    );
    stream.on('error', finish);
    stream.on('close', finish);
    stream.on('data', () => undefined);
    stream.end(Buffer.from([0, 0x7f, 0xff, 0xff, 0xff, 0x0a, 0x01]));
  });
}

describe('garbage at every gRPC port', () => {
  let shop: ProcessShop;

  before(async () => {
    shop = await startProcessShop({ logLevel: 'warn', readyTimeoutMs: 120_000 });
  });
  after(async () => {
    await shop?.stop();
  });

  it('answers undecodable messages with INVALID_ARGUMENT on every method, survives noise, and stays healthy', async () => {
    const pids = new Map(GRPC_SERVICES.map((name) => [name, shop.process(name).pid]));
    for (const name of GRPC_SERVICES) {
      const address = shop.addresses[name] ?? '';
      for (const bytes of NOT_HTTP2) await sendRaw(address, bytes);
    }
    const framing: string[] = [];
    const decoding: string[] = [];
    for (const [name, definition] of APIS) {
      const address = shop.addresses[name] ?? '';
      const client = new Client(address, credentials.createInsecure());
      try {
        for (const method of Object.values(definition)) {
          const framed = await sendBadFrame(address, method.path);
          if (framed === undefined || framed === String(status.OK)) framing.push(`${method.path}: ${framed}`);
          // Field 1 as a length-delimited value longer than the message.
          const error = await new Promise<ServiceError | null>((resolve) =>
            client.makeUnaryRequest(
              method.path,
              (value: Buffer) => value,
              (value: Buffer) => value,
              Buffer.from([0x0a, 0xff, 0x01, 0x41]),
              new Metadata(),
              { deadline: Date.now() + 5000 },
              (failure) => resolve(failure),
            ),
          );
          if (error?.code !== status.INVALID_ARGUMENT)
            decoding.push(`${method.path}: ${error ? status[error.code] : 'OK'}`);
        }
      } finally {
        client.close();
      }
    }
    assert.deepEqual(framing, [], 'a lying frame got no error status');
    assert.deepEqual(decoding, [], 'undecodable messages not answered INVALID_ARGUMENT');
    for (const name of GRPC_SERVICES) {
      const pid = shop.process(name).pid;
      assert.equal(pid, pids.get(name), `${name} restarted`);
      assert.doesNotThrow(() => process.kill(pid, 0), `${name} is gone`);
      const ready = await fetch(`${shop.admin[name]}/readyz`);
      assert.equal(ready.status, 200, `${name} not ready after the garbage`);
    }
  });
});
