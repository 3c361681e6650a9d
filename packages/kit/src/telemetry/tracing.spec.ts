import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { SERVICE_NAMESPACE, resourceAttributes, startTracing } from './tracing.js';

describe('resourceAttributes', () => {
  it('names the service and reads instance and environment from the environment', () => {
    assert.deepEqual(
      resourceAttributes('cart', '1.2.3', { SERVICE_INSTANCE_ID: 'cart-0', DEPLOYMENT_ENVIRONMENT: 'test' }),
      {
        'service.name': 'cart',
        'service.namespace': SERVICE_NAMESPACE,
        'service.version': '1.2.3',
        'service.instance.id': 'cart-0',
        'deployment.environment.name': 'test',
      },
    );
  });

  it('makes up a unique instance id and defaults the environment to local', () => {
    const a = resourceAttributes('cart', '1', {});
    const b = resourceAttributes('cart', '1', { SERVICE_INSTANCE_ID: '  ' });
    assert.match(a['service.instance.id'] ?? '', /^[0-9a-f-]{36}$/);
    assert.notEqual(a['service.instance.id'], b['service.instance.id']);
    assert.equal(a['deployment.environment.name'], 'local');
  });
});

describe('startTracing', () => {
  it('exports spans with the resource, and stops once however often asked', async () => {
    const exporter = new InMemorySpanExporter();
    const tracing = startTracing({
      serviceName: 'tracing-test',
      exporters: [exporter],
      instrumentations: [],
      environment: { SERVICE_INSTANCE_ID: 'i-1' },
    });
    assert.equal(tracing.exporting, true);
    trace.getTracer('test').startActiveSpan('placeOrder', (span) => span.end());
    await tracing.forceFlush();
    const [span] = exporter.getFinishedSpans();
    assert.equal(span?.name, 'placeOrder');
    assert.equal(span?.resource.attributes['service.name'], 'tracing-test');
    assert.equal(span?.resource.attributes['service.instance.id'], 'i-1');
    await Promise.all([tracing.shutdown(), tracing.shutdown()]);
    await tracing.shutdown();
    // Once stopped, the global tracer is a no-op again.
    assert.equal(trace.getTracer('test').startSpan('after').isRecording(), false);
  });

  it('does not export without exporters or an OTLP endpoint', async () => {
    const tracing = startTracing({ serviceName: 'quiet', instrumentations: [], environment: {} });
    try {
      assert.equal(tracing.exporting, false);
    } finally {
      await tracing.shutdown();
    }
  });
});
