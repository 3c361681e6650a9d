import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import Fastify from 'fastify';
import { ServiceMetrics, createLogger, envReader } from '@glasshouse/kit';
import { OtlpReceiver, metricSample, waitFor } from '@glasshouse/kit/testing';
import { registerRum } from './collector.js';

const logger = createLogger({ serviceName: 'frontend-test', level: 'silent' });
const JSON_TYPE = { 'content-type': 'application/json' };
const RATE = 30;

const text = (value: string) => ({ stringValue: value });
/** A page's spans as the OpenTelemetry JS exporter writes them (OTLP/JSON, hex ids, nanos as strings). */
function pageSpans(overrides: { serviceName?: string; resourceExtra?: object[]; span?: object } = {}) {
  return {
    resourceSpans: [
      {
        resource: {
          attributes: [
            { key: 'service.name', value: text(overrides.serviceName ?? 'frontend-web') },
            { key: 'service.namespace', value: text('glasshouse') },
            { key: 'telemetry.sdk.language', value: text('webjs') },
            ...(overrides.resourceExtra ?? []),
          ],
          droppedAttributesCount: 0,
        },
        scopeSpans: [
          {
            scope: { name: '@opentelemetry/instrumentation-document-load', version: '0.68.0' },
            spans: [
              {
                traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
                spanId: '00f067aa0ba902b7',
                parentSpanId: '1f067aa0ba902b70',
                name: 'documentLoad',
                kind: 1,
                startTimeUnixNano: '1765100000000000000',
                endTimeUnixNano: '1765100000250000000',
                attributes: [
                  { key: 'url.full', value: text('http://shop.test/product/OLJCESPC7Z') },
                  { key: 'http.response_content_length', value: { intValue: 5120 } },
                ],
                droppedAttributesCount: 0,
                events: [{ name: 'domInteractive', timeUnixNano: '1765100000120000000', attributes: [] }],
                droppedEventsCount: 0,
                status: { code: 0 },
                links: [],
                droppedLinksCount: 0,
                flags: 257,
                ...overrides.span,
              },
            ],
          },
        ],
      },
    ],
  };
}
const vitalsOf = (page: string) => ({
  page,
  vitals: [
    { name: 'LCP', value: 1830.5 },
    { name: 'CLS', value: 0.02 },
    { name: 'TTFB', value: 95 },
    { name: 'INP', value: 64 },
  ],
});

describe('the browser telemetry endpoint', () => {
  const receiver = new OtlpReceiver();
  const metrics = new ServiceMetrics({ defaultMetrics: false });
  let app: FastifyInstance;
  let address = 0;
  /** Each call comes from its own client address, so the rate limit is met only where meant. */
  const post = (url: string, payload: unknown, headers: Record<string, string> = JSON_TYPE) =>
    app.inject({
      method: 'POST',
      url,
      headers,
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
      remoteAddress: `10.0.${Math.floor(++address / 250)}.${address % 250}`,
    });
  const assertRefused = (response: LightMyRequestResponse, status: number, reason: RegExp) => {
    assert.equal(response.statusCode, status, response.body);
    assert.match((JSON.parse(response.body) as { error: string }).error, reason);
  };

  before(async () => {
    const endpoint = await receiver.start();
    app = Fastify();
    app.get('/', async () => 'home');
    app.get('/product/:id', async () => 'product');
    registerRum(app, {
      metrics,
      logger,
      env: envReader({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, SERVICE_VERSION: '9.9.9' }),
      ratePerMinute: RATE,
    });
    await app.ready();
  });

  after(async () => {
    await app.close();
    await receiver.stop();
  });

  it("forwards a page's spans under the browser's resource, marked synthetic when the page was", async () => {
    const real = await post('/rum/v1/traces', pageSpans());
    assert.equal(real.statusCode, 202, real.body);
    const synthetic = await post('/rum/v1/traces', pageSpans({ span: { spanId: '00f067aa0ba902b8' } }), {
      ...JSON_TYPE,
      baggage: 'synthetic_request=true',
    });
    assert.equal(synthetic.statusCode, 202, synthetic.body);
    const spans = await waitFor(() => receiver.spans.length >= 2 && receiver.spans, {
      what: 'both batches at the receiver',
    });
    for (const span of spans) {
      assert.equal(span.serviceName, 'frontend-web');
      assert.equal(span.resource['service.namespace'], 'glasshouse');
      assert.equal(span.resource['service.version'], '9.9.9');
      assert.equal(span.resource['telemetry.sdk.language'], 'webjs');
      assert.equal(span.name, 'documentLoad');
    }
    const bySpan = new Map(spans.map((s) => [s.spanId, s]));
    assert.equal(bySpan.get('00f067aa0ba902b7')?.attributes['app.synthetic_request'], undefined);
    assert.equal(bySpan.get('00f067aa0ba902b8')?.attributes['app.synthetic_request'], true);
  });

  it('records vitals by page template and synthetic marker, never by the path itself', async () => {
    assert.equal((await post('/rum/v1/vitals', vitalsOf('/product/OLJCESPC7Z'))).statusCode, 202);
    const synthetic = await post('/rum/v1/vitals', vitalsOf('/'), {
      ...JSON_TYPE,
      baggage: 'synthetic_request=true',
    });
    assert.equal(synthetic.statusCode, 202);
    assert.equal((await post('/rum/v1/vitals', vitalsOf('/no/such/page/4711'))).statusCode, 202);
    const { body } = await metrics.scrape();
    const count = (name: string, page: string, synthetic: string) =>
      metricSample(body, `${name}_count`, { page, synthetic });
    assert.equal(count('browser_web_vital_lcp_seconds', '/product/:id', 'false'), 1);
    assert.equal(count('browser_web_vital_inp_seconds', '/', 'true'), 1);
    assert.equal(count('browser_web_vital_cls', 'unmatched', 'false'), 1);
    // 1830.5 ms is a good LCP: under the 2.5 s bucket, over the 1.5 s one.
    const bucket = (le: string) =>
      metricSample(body, 'browser_web_vital_lcp_seconds_bucket', {
        page: '/product/:id',
        synthetic: 'false',
        le,
      });
    assert.equal(bucket('1.5'), 0);
    assert.equal(bucket('2'), 1);
    assert.ok(!body.includes('OLJCESPC7Z') && !body.includes('4711'), 'a path in a label');
  });

  it('refuses malformed payloads with a 400 and a reason', async () => {
    assertRefused(await post('/rum/v1/traces', '{"resourceSpans": ['), 400, /JSON/i);
    assertRefused(await post('/rum/v1/traces', { resourceSpans: [] }), 400, /resourceSpans/);
    assertRefused(await post('/rum/v1/traces', pageSpans({ span: { traceId: 'not-hex' } })), 400, /traceId/);
    assertRefused(await post('/rum/v1/traces', pageSpans({ span: { kind: '1' } })), 400, /kind/);
    assertRefused(
      await post('/rum/v1/vitals', { page: '/', vitals: [{ name: 'LCP', value: -1 }] }),
      400,
      /value/,
    );
    assertRefused(
      await post('/rum/v1/vitals', { page: '/', vitals: [{ name: 'FID', value: 1 }] }),
      400,
      /name/,
    );
    assertRefused(await post('/rum/v1/vitals', { page: 'http://elsewhere/', vitals: [] }), 400, /page/);
    assertRefused(await post('/rum/v1/vitals', 'page=/', { 'content-type': 'text/plain' }), 400, /object/);
    assertRefused(
      await post('/rum/v1/traces', '<spans/>', { 'content-type': 'application/xml' }),
      415,
      /media type/i,
    );
  });

  it('refuses unknown fields rather than dropping them', async () => {
    assertRefused(await post('/rum/v1/traces', { ...pageSpans(), extra: 1 }), 400, /additional/);
    assertRefused(
      await post('/rum/v1/traces', pageSpans({ span: { userEmail: 'a@b.c' } })),
      400,
      /additional/,
    );
    assertRefused(await post('/rum/v1/vitals', { ...vitalsOf('/'), userId: 'u1' }), 400, /additional/);
  });

  it("refuses foreign spans: another service's name, or a resource the web SDK does not make", async () => {
    assertRefused(await post('/rum/v1/traces', pageSpans({ serviceName: 'checkout' })), 400, /frontend-web/);
    assertRefused(
      await post('/rum/v1/traces', pageSpans({ resourceExtra: [{ key: 'host.name', value: text('x') }] })),
      400,
      /host\.name/,
    );
  });

  it('refuses oversized bodies with a 413', async () => {
    const padding = 'x'.repeat(2000);
    const many = Array.from({ length: 40 }, (_, i) => ({ key: `k${i}`, value: text(padding) }));
    assertRefused(await post('/rum/v1/traces', pageSpans({ span: { attributes: many } })), 413, /too large/i);
    assertRefused(
      await post('/rum/v1/vitals', { page: `/${'a'.repeat(5000)}`, vitals: [] }),
      413,
      /too large/i,
    );
  });

  it('answers any JSON a client may send with a 202 or a 4xx, never a 5xx', async () => {
    const payload = fc.oneof(
      fc.jsonValue(),
      fc.record({
        page: fc.string(),
        vitals: fc.array(fc.record({ name: fc.string(), value: fc.double() })),
      }),
      fc
        .constant(pageSpans())
        .chain((base) =>
          fc.record({ resourceSpans: fc.constant(base.resourceSpans), extra: fc.option(fc.jsonValue()) }),
        ),
    );
    await fc.assert(
      fc.asyncProperty(payload, fc.constantFrom('/rum/v1/traces', '/rum/v1/vitals'), async (body, url) => {
        const response = await post(url, JSON.stringify(body) ?? 'null');
        assert.ok(
          response.statusCode === 202 || (response.statusCode >= 400 && response.statusCode < 500),
          response.body,
        );
      }),
      { numRuns: 150 },
    );
  });

  it(`holds its rate limit of ${RATE} beacons a minute per client address`, async () => {
    const from = (remoteAddress: string) =>
      app.inject({
        method: 'POST',
        url: '/rum/v1/vitals',
        headers: JSON_TYPE,
        payload: JSON.stringify(vitalsOf('/')),
        remoteAddress,
      });
    const statuses = [];
    for (let i = 0; i < RATE + 5; i++) statuses.push((await from('192.0.2.7')).statusCode);
    assert.deepEqual(statuses.slice(0, RATE), Array<number>(RATE).fill(202));
    assert.deepEqual(statuses.slice(RATE), Array<number>(5).fill(429));
    assert.equal((await from('192.0.2.8')).statusCode, 202, 'another address is not limited');
  });
});
