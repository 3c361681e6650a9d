import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ReceivedSpan } from '@glasshouse/kit/testing';
import { OtlpReceiver, ServiceProcess, freePort, parseExemplars, waitFor } from '@glasshouse/kit/testing';

const ROOT = join(__dirname, '..');
const SERVER = 2;
const CLIENT = 3;

/**
 * The first slice as separate processes, exporting to an OTLP receiver that stands in for a
 * collector: one page request must give one trace across frontend, catalog and currency,
 * metrics whose exemplars point into it, and log lines that carry its trace id.
 */
describe('the first slice, observed end to end', () => {
  const receiver = new OtlpReceiver();
  const dataDir = mkdtempSync(join(tmpdir(), 'glasshouse-slice-'));
  let services: ServiceProcess[] = [];
  let shop = '';
  let admin: Record<string, string> = {};
  let traceId = '';
  let spans: ReceivedSpan[] = [];

  before(async () => {
    const endpoint = await receiver.start();
    const ports = {
      catalog: await freePort(),
      catalogAdmin: await freePort(),
      currency: await freePort(),
      currencyAdmin: await freePort(),
      frontend: await freePort(),
    };
    const env = {
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_BSP_SCHEDULE_DELAY: '100',
      LOG_LEVEL: 'debug',
      PGLITE_DATA_DIR: dataDir,
      DATABASE_URL: '',
      PRODUCTCATALOG_ADDR: `127.0.0.1:${ports.catalog}`,
      PRODUCTCATALOG_ADMIN_ADDR: `127.0.0.1:${ports.catalogAdmin}`,
      CURRENCY_ADDR: `127.0.0.1:${ports.currency}`,
      CURRENCY_ADMIN_ADDR: `127.0.0.1:${ports.currencyAdmin}`,
      FRONTEND_ADDR: `127.0.0.1:${ports.frontend}`,
    };
    admin = {
      productcatalog: `http://127.0.0.1:${ports.catalogAdmin}`,
      currency: `http://127.0.0.1:${ports.currencyAdmin}`,
      frontend: `http://127.0.0.1:${ports.frontend}`,
    };
    shop = admin.frontend ?? '';
    services = ['productcatalog', 'currency', 'frontend'].map((name) =>
      new ServiceProcess(name, join(ROOT, 'services', name, 'dist', 'main.js'), env).start(),
    );
    await Promise.all(services.map((s) => s.ready(`${admin[s.name]}/readyz`, 30_000)));

    const response = await fetch(`${shop}/`, { headers: { cookie: 'shop_currency=EUR' } });
    assert.equal(response.status, 200);
    assert.match(await response.text(), /€/);
    const frontend = services.find((s) => s.name === 'frontend');
    const line = await waitFor(
      () => frontend?.logs().find((l) => l.message === 'request completed' && l['http.route'] === '/'),
      { what: 'the log line of the home page request' },
    );
    traceId = String(line.trace_id);
    assert.match(traceId, /^[0-9a-f]{32}$/);
    spans = await waitFor(
      () => {
        // Complete when the frontend's root is in and every client span has its server span:
        // server spans end after everything under them, and each process exports on its own.
        const found = receiver.trace(traceId);
        const root = found.some((s) => s.serviceName === 'frontend' && s.kind === SERVER);
        // Only the slice's services run: calls to the others (cart, ads) fail without a server span.
        const clients = found.filter(
          (s) => s.kind === CLIENT && /ProductCatalogService|CurrencyService/.test(s.name),
        );
        const answered = clients.every((c) =>
          found.some((s) => s.kind === SERVER && s.parentSpanId === c.spanId),
        );
        return root && clients.length > 0 && answered && found;
      },
      { what: 'the whole trace: a server span for every client span', timeoutMs: 15_000 },
    );
  });

  after(async () => {
    await Promise.all(services.map((s) => s.stop()));
    await receiver.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('roots the trace at the frontend server span, named after the route', () => {
    const root = spans.find((s) => s.serviceName === 'frontend' && s.kind === SERVER);
    assert.ok(root, 'a frontend server span');
    assert.equal(root.name, 'GET /');
    assert.equal(root.parentSpanId, undefined);
    assert.equal(root.attributes['http.request.method'], 'GET');
    assert.equal(root.attributes['http.route'], '/');
    assert.equal(root.attributes['http.response.status_code'], 200);
    assert.equal(root.resource['service.namespace'], 'glasshouse');
    assert.ok(root.resource['service.instance.id']);
  });

  for (const [service, method] of [
    ['productcatalog', 'hipstershop.ProductCatalogService/ListProducts'],
    ['currency', 'hipstershop.CurrencyService/Convert'],
  ] as const) {
    it(`links frontend → ${service} through a client span and its server span`, () => {
      const root = spans.find((s) => s.serviceName === 'frontend' && s.kind === SERVER);
      const client = spans.find(
        (s) => s.serviceName === 'frontend' && s.kind === CLIENT && s.name === `grpc.${method}`,
      );
      assert.ok(client, `a frontend client span for ${method}`);
      assert.equal(client.parentSpanId, root?.spanId);
      assert.equal(client.attributes['rpc.system'], 'grpc');
      const server = spans.find(
        (s) => s.serviceName === service && s.kind === SERVER && s.parentSpanId === client.spanId,
      );
      assert.ok(server, `a ${service} server span whose parent is the client span`);
      assert.equal(server.attributes['rpc.system'], 'grpc');
      assert.equal(
        `${String(server.attributes['rpc.service'])}/${String(server.attributes['rpc.method'])}`,
        method,
      );
      assert.equal(server.attributes['rpc.grpc.status_code'], 0);
    });
  }

  it('records the catalog cache lookup and its database query under the catalog server span', () => {
    const server = spans.find((s) => s.serviceName === 'productcatalog' && s.kind === SERVER);
    const lookup = spans.find((s) => s.name === 'cache lookup' && s.parentSpanId === server?.spanId);
    assert.ok(lookup, 'a cache lookup span');
    assert.equal(lookup.attributes['cache.hit'], false);
    const query = spans.find((s) => s.parentSpanId === lookup.spanId && s.kind === CLIENT);
    assert.ok(query, 'a database span under the cache lookup');
    assert.equal(query.attributes['db.system.name'], 'postgresql');
    assert.equal(query.attributes['db.operation.name'], 'SELECT');
    assert.equal(query.attributes['db.collection.name'], 'catalog.products');
  });

  it('puts exemplars on the RED histograms that point into the trace', async () => {
    const frontendMetrics = await (await fetch(`${admin.frontend}/metrics`)).text();
    const http = parseExemplars(frontendMetrics).filter(
      (e) => e.metric === 'http_server_request_duration_seconds_bucket' && e.labels.http_route === '/',
    );
    assert.ok(
      http.some((e) => e.exemplar.trace_id === traceId),
      'an http exemplar with the trace id',
    );
    const client = parseExemplars(frontendMetrics).filter(
      (e) => e.metric === 'rpc_client_call_duration_seconds_bucket',
    );
    assert.ok(
      client.some((e) => e.exemplar.trace_id === traceId),
      'an rpc client exemplar with the trace id',
    );

    const catalogMetrics = await (await fetch(`${admin.productcatalog}/metrics`)).text();
    const served = parseExemplars(catalogMetrics).filter(
      (e) =>
        e.metric === 'rpc_server_call_duration_seconds_bucket' &&
        e.labels.rpc_method === 'hipstershop.ProductCatalogService/ListProducts',
    );
    const serverSpan = spans.find((s) => s.serviceName === 'productcatalog' && s.kind === SERVER);
    assert.ok(
      served.some((e) => e.exemplar.trace_id === traceId && e.exemplar.span_id === serverSpan?.spanId),
      'an rpc server exemplar naming the catalog server span',
    );
    assert.match(catalogMetrics, /^# TYPE nodejs_eventloop_lag_seconds gauge/m);
    assert.match(catalogMetrics, /^process_resident_memory_bytes /m);
  });

  it('writes log lines of the request with its trace id, in every service it crossed', () => {
    for (const service of services) {
      const lines = service.logs().filter((l) => l.trace_id === traceId);
      assert.ok(lines.length > 0, `${service.name} logged with the trace id`);
      for (const line of lines) {
        assert.equal(line['service.name'], service.name);
        assert.match(String(line.span_id), /^[0-9a-f]{16}$/);
        assert.equal(typeof line.level, 'string');
      }
    }
  });

  it('carries synthetic_request baggage into the spans and logs of every service', async () => {
    const response = await fetch(`${shop}/product/OLJCESPC7Z`, {
      headers: { baggage: 'synthetic_request=true', cookie: 'shop_currency=EUR' },
    });
    assert.equal(response.status, 200);
    const frontend = services.find((s) => s.name === 'frontend');
    const line = await waitFor(
      () =>
        frontend?.logs().find((l) => l.message === 'request completed' && l['http.route'] === '/product/:id'),
      { what: 'the log line of the product page request' },
    );
    assert.equal(line['app.synthetic_request'], true);
    const marked = await waitFor(
      () => {
        const found = receiver.trace(String(line.trace_id)).filter((s) => s.kind === SERVER);
        return found.length >= 3 && found;
      },
      { what: 'server spans of the synthetic request' },
    );
    for (const span of marked)
      assert.equal(span.attributes['app.synthetic_request'], true, `${span.serviceName} span`);
    assert.equal(spans.find((s) => s.kind === SERVER)?.attributes['app.synthetic_request'], undefined);
    const catalog = services.find((s) => s.name === 'productcatalog');
    assert.ok(
      catalog?.logs().some((l) => l.trace_id === line.trace_id && l['app.synthetic_request'] === true),
    );
  });

  it('stops every process cleanly on SIGTERM', async () => {
    const codes = await Promise.all(services.map((s) => s.stop()));
    assert.deepEqual(codes, [0, 0, 0]);
  });
});
