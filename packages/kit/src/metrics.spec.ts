import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TraceFlags, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { DURATION_BUCKETS, ServiceMetrics, exemplarOf, observeDuration, secondsSince } from './metrics.js';
import type { Tracing } from './telemetry/tracing.js';
import { startTracing } from './telemetry/tracing.js';
import { parseExemplars } from './testing/exposition.js';

const rpcLabels = (method: string) => ({
  rpc_system: 'grpc',
  rpc_method: method,
  rpc_grpc_status_code: 'OK',
});

describe('ServiceMetrics', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;

  before(() => {
    tracing = startTracing({
      serviceName: 'metrics-test',
      exporters: [exporter],
      instrumentations: [],
      environment: {},
    });
  });

  after(async () => {
    await tracing.shutdown();
  });

  it('exposes OpenMetrics text', async () => {
    const metrics = new ServiceMetrics({ defaultMetrics: false });
    const { contentType, body } = await metrics.scrape();
    assert.match(contentType, /^application\/openmetrics-text; version=1\.0\.0/);
    assert.match(body, /^# EOF\s*$/m);
    for (const name of [
      'http_server_request_duration_seconds',
      'rpc_server_call_duration_seconds',
      'rpc_client_call_duration_seconds',
      'db_client_operation_duration_seconds',
    ]) {
      assert.match(body, new RegExp(`^# TYPE ${name} histogram$`, 'm'), name);
    }
  });

  it('includes the process metrics unless told not to', async () => {
    const { body } = await new ServiceMetrics().scrape();
    assert.match(body, /^# TYPE process_cpu_seconds counter$/m);
    assert.match(body, /^# TYPE nodejs_eventloop_lag_seconds gauge$/m);
    assert.doesNotMatch(
      (await new ServiceMetrics({ defaultMetrics: false }).scrape()).body,
      /process_cpu|nodejs_/,
    );
  });

  it('gives each instance its own start time and states its heap limit', async () => {
    const before = Date.now() / 1000;
    const first = (await new ServiceMetrics().scrape()).body;
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = (await new ServiceMetrics().scrape()).body;
    const startOf = (body: string) => Number(/^service_start_time_seconds (\S+)$/m.exec(body)?.[1]);
    assert.ok(
      startOf(first) >= before && startOf(second) > startOf(first),
      'a restart shows as a new start time',
    );
    const limit = Number(/^nodejs_heap_size_limit_bytes (\S+)$/m.exec(first)?.[1]);
    const used = Number(/^nodejs_heap_size_used_bytes (\S+)$/m.exec(first)?.[1]);
    assert.ok(limit > used && used > 0, `heap ${used} of ${limit}`);
  });

  it('uses the semantic-convention buckets', async () => {
    const metrics = new ServiceMetrics({ defaultMetrics: false });
    observeDuration(metrics.rpcServerDuration, rpcLabels('a/B'), 0.03);
    const { body } = await metrics.scrape();
    const bounds = [...body.matchAll(/^rpc_server_call_duration_seconds_bucket\{[^}]*le="([^"]+)"/gm)].map(
      (m) => m[1],
    );
    assert.deepEqual(bounds, [...DURATION_BUCKETS.map(String), '+Inf']);
    assert.match(body, /^rpc_server_call_duration_seconds_count\{[^}]*rpc_method="a\/B"[^}]*\} 1$/m);
  });

  it('attaches the active sampled span as the exemplar of an observation', async () => {
    const metrics = new ServiceMetrics({ defaultMetrics: false });
    const tracer = trace.getTracer('metrics-test');
    const ids = tracer.startActiveSpan('convert', (span) => {
      observeDuration(metrics.rpcServerDuration, rpcLabels('in/Span'), 0.02);
      span.end();
      return span.spanContext();
    });
    assert.equal(exporter.getFinishedSpans().length > 0, true, 'the tracer is the SDK one, recording spans');
    const exemplars = parseExemplars((await metrics.scrape()).body).filter(
      (e) => e.labels.rpc_method === 'in/Span',
    );
    assert.equal(exemplars.length, 1);
    assert.equal(exemplars[0]?.metric, 'rpc_server_call_duration_seconds_bucket');
    assert.equal(exemplars[0]?.labels.le, '0.025');
    assert.deepEqual(exemplars[0]?.exemplar, { trace_id: ids.traceId, span_id: ids.spanId });
  });

  it('uses the span it is given over the active one', async () => {
    const metrics = new ServiceMetrics({ defaultMetrics: false });
    const tracer = trace.getTracer('metrics-test');
    const explicit = tracer.startSpan('explicit');
    tracer.startActiveSpan('active', (active) => {
      observeDuration(metrics.dbClientDuration, { db_operation_name: 'SELECT' }, 0.001, explicit);
      active.end();
    });
    explicit.end();
    const [exemplar] = parseExemplars((await metrics.scrape()).body);
    assert.equal(exemplar?.exemplar.span_id, explicit.spanContext().spanId);
  });

  it('records no exemplar outside a span', async () => {
    const metrics = new ServiceMetrics({ defaultMetrics: false });
    assert.equal(trace.getActiveSpan(), undefined);
    observeDuration(metrics.rpcServerDuration, rpcLabels('no/Span'), 0.02);
    const { body } = await metrics.scrape();
    assert.match(body, /^rpc_server_call_duration_seconds_count\{[^}]*rpc_method="no\/Span"[^}]*\} 1$/m);
    assert.deepEqual(parseExemplars(body), []);
  });
});

describe('exemplarOf', () => {
  const context = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331' };

  it('gives the ids of a sampled span', () => {
    const span = trace.wrapSpanContext({ ...context, traceFlags: TraceFlags.SAMPLED });
    assert.deepEqual(exemplarOf(span), { trace_id: context.traceId, span_id: context.spanId });
  });

  it('gives nothing for an unsampled span or no span', () => {
    assert.equal(exemplarOf(trace.wrapSpanContext({ ...context, traceFlags: TraceFlags.NONE })), undefined);
    assert.equal(exemplarOf(undefined), undefined);
  });
});

describe('secondsSince', () => {
  it('measures elapsed time in seconds', () => {
    const start = process.hrtime.bigint() - 1_500_000_000n;
    const seconds = secondsSince(start);
    assert.ok(seconds >= 1.5 && seconds < 2.5, String(seconds));
  });
});
