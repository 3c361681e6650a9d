import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inCluster, rewriteAddresses } from './hosts.js';

describe('compose hosts moved into the cluster', () => {
  it('keeps the scheme, port and path, and picks a port-specific Service first', () => {
    assert.equal(inCluster('http://loki:3100'), 'http://loki-gateway.observability.svc:3100');
    assert.equal(inCluster('http://jaeger:16686'), 'http://jaeger-query.observability.svc:16686');
    assert.equal(inCluster('jaeger:4317'), 'jaeger-collector.observability.svc:4317');
    assert.equal(
      inCluster('http://prometheus:9090/api/v1/write'),
      'http://monitoring-prometheus.monitoring.svc:9090/api/v1/write',
    );
    assert.equal(inCluster('postgres:5432'), 'postgres.microservices-demo.svc:5432');
  });

  it('leaves hosts it does not know, and values that are not addresses, as they are', () => {
    assert.equal(inCluster('https://heartbeat.example.org/ping'), 'https://heartbeat.example.org/ping');
    assert.equal(inCluster('0.0.0.0:4317'), '0.0.0.0:4317');
    assert.equal(inCluster('$${__value.raw}'), '$${__value.raw}');
    assert.equal(inCluster('lokix:3100'), 'lokix:3100');
  });

  it('rewrites only url and endpoint fields, however deep', () => {
    assert.deepEqual(
      rewriteAddresses({ a: [{ url: 'http://tempo:3200', name: 'tempo' }], endpoint: 'redis:6379' }),
      {
        a: [{ url: 'http://tempo.observability.svc:3200', name: 'tempo' }],
        endpoint: 'redis.microservices-demo.svc:6379',
      },
    );
  });
});
