import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { status } from '@grpc/grpc-js';
import { SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { hipstershop } from '@glasshouse/contracts';
import { createLogger } from '../logging.js';
import { ServiceMetrics } from '../metrics.js';
import { SYNTHETIC_ATTRIBUTE, SYNTHETIC_BAGGAGE_KEY } from '../telemetry/baggage.js';
import type { Tracing } from '../telemetry/tracing.js';
import { startTracing } from '../telemetry/tracing.js';
import { serveOnFreePort } from '../testing/serve.js';
import type { PromiseClient } from './client.js';
import type { Implementation } from './definition.js';
import { invalidArgument } from './errors.js';
import { GrpcServer } from './server.js';

type Currency = typeof hipstershop.CurrencyServiceService;

const currency: Implementation<Currency> = {
  getSupportedCurrencies: () => {
    trace.getTracer('handler').startSpan('inside the handler').end();
    return { currencyCodes: ['EUR'] };
  },
  convert(request) {
    if (request.toCode === 'BAD') throw invalidArgument('to_code: bad');
    return { currencyCode: request.toCode, units: 1n, nanos: 0 };
  },
};

/** gRPC server and client spans, made by the kit as the gRPC instrumentation would make them. */
describe('gRPC spans', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  let client: PromiseClient<Currency>;
  let stop: () => Promise<void>;
  let port = 0;

  before(async () => {
    tracing = startTracing({
      serviceName: 'grpc-spans',
      exporters: [exporter],
      instrumentations: [],
      environment: {},
    });
    const metrics = new ServiceMetrics({ defaultMetrics: false });
    const server = new GrpcServer({
      logger: createLogger({ serviceName: 'grpc-spans', level: 'silent' }),
      metrics,
    });
    server.add(hipstershop.CurrencyServiceService, currency);
    ({ client, stop } = await serveOnFreePort(
      server,
      hipstershop.CurrencyServiceClient,
      hipstershop.CurrencyServiceService,
      { metrics },
    ));
    port = server.boundPort ?? 0;
  });

  after(async () => {
    await stop();
    await tracing.shutdown();
  });

  /** The spans of the trace `run` starts under a root span of the caller's. */
  async function traced(run: () => Promise<unknown>): Promise<{ root: ReadableSpan; spans: ReadableSpan[] }> {
    exporter.reset();
    const tracer = trace.getTracer('caller');
    await tracer.startActiveSpan('caller', async (span) => {
      await run().catch(() => undefined);
      span.end();
    });
    await tracing.forceFlush();
    const root = exporter.getFinishedSpans().find((s) => s.name === 'caller');
    assert.ok(root);
    const spans = exporter
      .getFinishedSpans()
      .filter((s) => s.spanContext().traceId === root.spanContext().traceId);
    return { root, spans };
  }

  it('makes a client span under the caller and a server span under it, with the rpc attributes', async () => {
    const { root, spans } = await traced(() => client.getSupportedCurrencies({}));
    const name = 'grpc.hipstershop.CurrencyService/GetSupportedCurrencies';
    const clientSpan = spans.find((s) => s.name === name && s.kind === SpanKind.CLIENT);
    const serverSpan = spans.find((s) => s.name === name && s.kind === SpanKind.SERVER);
    assert.ok(clientSpan && serverSpan, spans.map((s) => `${s.name} ${s.kind}`).join(', '));
    assert.equal(clientSpan.parentSpanContext?.spanId, root.spanContext().spanId);
    assert.equal(serverSpan.parentSpanContext?.spanId, clientSpan.spanContext().spanId);
    assert.equal(serverSpan.parentSpanContext?.isRemote, true);
    const rpc = {
      'rpc.system': 'grpc',
      'rpc.service': 'hipstershop.CurrencyService',
      'rpc.method': 'GetSupportedCurrencies',
    };
    assert.deepEqual(serverSpan.attributes, { ...rpc, 'rpc.grpc.status_code': 0 });
    assert.deepEqual(clientSpan.attributes, {
      ...rpc,
      'server.address': '127.0.0.1',
      'server.port': port,
      'rpc.grpc.status_code': 0,
    });
    const inside = spans.find((s) => s.name === 'inside the handler');
    assert.equal(
      inside?.parentSpanContext?.spanId,
      serverSpan.spanContext().spanId,
      'the handler runs in the server span',
    );
  });

  it('marks both sides of a failed call as errors with the status code and error.type', async () => {
    const { spans } = await traced(() =>
      client.convert({ from: { currencyCode: 'EUR', units: 1n, nanos: 0 }, toCode: 'BAD' }),
    );
    for (const kind of [SpanKind.CLIENT, SpanKind.SERVER]) {
      const span = spans.find((s) => s.kind === kind);
      assert.equal(span?.status.code, SpanStatusCode.ERROR, `kind ${kind}`);
      assert.equal(span?.attributes['rpc.grpc.status_code'], status.INVALID_ARGUMENT);
      assert.equal(span?.attributes['error.type'], 'INVALID_ARGUMENT');
    }
  });

  it('carries baggage to the server, where synthetic traffic is marked', async () => {
    const baggage = propagation.createBaggage({ [SYNTHETIC_BAGGAGE_KEY]: { value: 'true' } });
    const { spans } = await traced(() =>
      context.with(propagation.setBaggage(context.active(), baggage), () =>
        client.getSupportedCurrencies({}),
      ),
    );
    const serverSpan = spans.find((s) => s.kind === SpanKind.SERVER);
    assert.equal(serverSpan?.attributes[SYNTHETIC_ATTRIBUTE], true);
  });
});
