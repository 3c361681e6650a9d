import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { hipstershop } from '@glasshouse/contracts';

/**
 * The ceilings, run as a process of their own like a service: `http` is a bare node:http
 * server answering a small HTML page; `grpc` a bare grpc-js server (no kit) whose Convert
 * returns the request's money at once. Prints {"port": n} once listening; SIGTERM ends it.
 */

const PAGE = Buffer.from(
  '<!doctype html><html><head><title>ceiling</title></head><body><h1>Hello, shopper</h1></body></html>\n',
);

function announce(port: number): void {
  process.stdout.write(`${JSON.stringify({ port })}\n`);
}

function serveHttp(): void {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': PAGE.length });
    response.end(PAGE);
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => announce((server.address() as AddressInfo).port));
}

function serveGrpc(): void {
  const server = new Server();
  const handlers: hipstershop.CurrencyServiceServer = {
    getSupportedCurrencies: (_call, callback) => callback(null, { currencyCodes: ['EUR', 'USD'] }),
    convert: (call, callback) =>
      callback(null, call.request.from ?? { currencyCode: call.request.toCode, units: 0n, nanos: 0 }),
  };
  server.addService(hipstershop.CurrencyServiceService, handlers);
  server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, port) => {
    if (error) throw error;
    announce(port);
  });
}

const kind = process.argv[2];
if (kind === 'http') serveHttp();
else if (kind === 'grpc') serveGrpc();
else {
  process.stderr.write('usage: ceiling-server.ts http|grpc\n');
  process.exit(2);
}
