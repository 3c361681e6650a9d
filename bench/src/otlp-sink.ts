import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in collector that accepts OTLP/HTTP exports and drops them, counting what arrived:
 * it costs the bench process little, unlike OtlpReceiver, which parses and keeps every span.
 */
export class OtlpSink {
  requests = 0;
  bytes = 0;
  private readonly server: Server;

  constructor() {
    this.server = createServer((request, response) => {
      request.on('data', (chunk: Buffer) => {
        this.bytes += chunk.length;
      });
      request.on('end', () => {
        this.requests += 1;
        // An empty ExportTraceServiceResponse in the request's encoding: no bytes in protobuf, {} in JSON.
        if (request.headers['content-type']?.includes('protobuf'))
          response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
        else response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
