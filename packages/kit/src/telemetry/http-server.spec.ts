import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { createTracedServer } from './http-server.js';
import type { Tracing } from './tracing.js';
import { startTracing } from './tracing.js';

const PARENT_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_SPAN = '00f067aa0ba902b7';

describe('createTracedServer', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  let server: Server;
  let origin = '';
  /** Span ids active where the handler looked: at the request, after the body, on 'finish'. */
  const seen: Record<string, string | undefined> = {};

  before(async () => {
    tracing = startTracing({
      serviceName: 'http-test',
      exporters: [exporter],
      instrumentations: [],
      environment: {},
    });
    server = createTracedServer((request, response) => {
      seen.request = trace.getActiveSpan()?.spanContext().spanId;
      request.resume();
      request.on('end', () => {
        seen.body = trace.getActiveSpan()?.spanContext().spanId;
        response.on('finish', () => {
          seen.finish = trace.getActiveSpan()?.spanContext().spanId;
        });
        response.statusCode = request.url === '/broken' ? 503 : 200;
        response.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await tracing.shutdown();
  });

  async function spansOf(path: string, init: RequestInit = {}): Promise<ReadableSpan[]> {
    exporter.reset();
    const response = await fetch(`${origin}${path}`, init);
    await response.text();
    // The span ends on the response's 'close', just after the client has read it.
    for (let i = 0; i < 50 && exporter.getFinishedSpans().length === 0; i += 1)
      await new Promise((resolve) => setImmediate(resolve));
    return exporter.getFinishedSpans();
  }

  it('makes a server span, child of the caller, active through the body and the finish', async () => {
    const [span, ...rest] = await spansOf('/cart?x=1', {
      method: 'POST',
      body: 'a=b',
      headers: { traceparent: `00-${PARENT_TRACE}-${PARENT_SPAN}-01` },
    });
    assert.ok(span);
    assert.equal(rest.length, 0);
    assert.equal(span.name, 'POST');
    assert.equal(span.kind, SpanKind.SERVER);
    assert.equal(span.spanContext().traceId, PARENT_TRACE);
    assert.equal(span.parentSpanContext?.spanId, PARENT_SPAN);
    assert.equal(span.attributes['http.request.method'], 'POST');
    assert.equal(span.attributes['url.path'], '/cart');
    assert.equal(span.attributes['http.response.status_code'], 200);
    assert.equal(span.status.code, SpanStatusCode.UNSET);
    const id = span.spanContext().spanId;
    assert.deepEqual(seen, { request: id, body: id, finish: id });
  });

  it('marks a 5xx answer as an error', async () => {
    const [span] = await spansOf('/broken');
    assert.equal(span?.attributes['http.response.status_code'], 503);
    assert.equal(span?.status.code, SpanStatusCode.ERROR);
  });

  it('does not trace probes or static files', async () => {
    assert.deepEqual(await spansOf('/healthz'), []);
    assert.deepEqual(await spansOf('/static/app.css'), []);
  });
});
