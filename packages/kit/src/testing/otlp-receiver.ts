import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeTraceRequest } from './otlp-protobuf.js';

/** A span as OTLP/JSON carries it, with its resource's service name alongside. */
export interface ReceivedSpan {
  serviceName: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: Record<string, string | number | boolean>;
  status?: { code?: number; message?: string };
  resource: Record<string, string | number | boolean>;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
}
interface OtlpKeyValue {
  key: string;
  value: OtlpValue;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes?: OtlpKeyValue[];
  status?: { code?: number; message?: string };
}
interface OtlpTraces {
  resourceSpans?: { resource?: { attributes?: OtlpKeyValue[] }; scopeSpans?: { spans?: OtlpSpan[] }[] }[];
}

function attributesOf(list: OtlpKeyValue[] = []): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const { key, value } of list) {
    out[key] =
      value.stringValue ??
      (value.intValue !== undefined ? Number(value.intValue) : undefined) ??
      value.doubleValue ??
      value.boolValue ??
      '';
  }
  return out;
}

/**
 * Stands in for an OpenTelemetry Collector: accepts OTLP/HTTP on /v1/traces, in protobuf (what
 * the kit sends by default) or JSON, and keeps every span. With `{ keep: false }` it only counts
 * requests and bytes, which costs a benchmark's process little.
 */
export class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  /** The raw request bodies, for scans such as "no card number ever left a process". */
  readonly bodies: string[] = [];
  requests = 0;
  bytes = 0;
  private readonly server: Server;

  constructor(options: { keep?: boolean } = {}) {
    const keep = options.keep ?? true;
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => {
        this.bytes += chunk.length;
        if (keep) chunks.push(chunk);
      });
      request.on('end', () => {
        const type = request.headers['content-type'] ?? '';
        const protobuf = type.includes('protobuf');
        if (request.url !== '/v1/traces' || !(protobuf || type.includes('json'))) {
          response.writeHead(request.url === '/v1/traces' ? 415 : 404).end();
          return;
        }
        this.requests += 1;
        if (keep) this.keep(Buffer.concat(chunks), protobuf);
        // An empty ExportTraceServiceResponse: no bytes in protobuf, {} in JSON.
        if (protobuf) response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
        else response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
  }

  private keep(bytes: Buffer, protobuf: boolean): void {
    // Protobuf is kept as its OTLP/JSON rendering, so scans read the same text either way.
    const traces = (protobuf ? decodeTraceRequest(bytes) : JSON.parse(bytes.toString('utf8'))) as OtlpTraces;
    this.bodies.push(protobuf ? JSON.stringify(traces) : bytes.toString('utf8'));
    this.collect(traces);
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  trace(traceId: string): ReceivedSpan[] {
    return this.spans.filter((s) => s.traceId === traceId);
  }

  private collect(traces: OtlpTraces): void {
    for (const resourceSpans of traces.resourceSpans ?? []) {
      const resource = attributesOf(resourceSpans.resource?.attributes);
      for (const scope of resourceSpans.scopeSpans ?? []) {
        for (const span of scope.spans ?? []) {
          this.spans.push({
            serviceName: String(resource['service.name']),
            traceId: span.traceId,
            spanId: span.spanId,
            ...(span.parentSpanId ? { parentSpanId: span.parentSpanId } : {}),
            name: span.name,
            kind: span.kind,
            attributes: attributesOf(span.attributes),
            ...(span.status ? { status: span.status } : {}),
            resource,
          });
        }
      }
    }
  }
}
