import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { ReceivedSpan } from '@glasshouse/kit/testing';
import { OtlpReceiver, TEST_POSTGRES_URL, metricSample, waitFor } from '@glasshouse/kit/testing';
import type { ProcessShop } from '@glasshouse/testing';
import { startProcessShop } from '@glasshouse/testing';
import { launchChromium, leavePage, shopperContext } from './support/shopper-browser.js';

const SERVER = 2;
const PRODUCT = 'OLJCESPC7Z';

interface PageTrace {
  traceId: string;
  serverSpanId: string;
  spans: ReceivedSpan[];
}

/**
 * Real-user monitoring end to end: Chromium opens shop pages served by the process shop, whose
 * every service exports to an in-test OTLP receiver; the page's bundle sends its spans and Web
 * Vitals to the frontend, which forwards the spans and records the vitals.
 */
describe('the browser in the trace', () => {
  const receiver = new OtlpReceiver();
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  const database = `glasshouse_rum_${randomBytes(4).toString('hex')}`;
  let shop: ProcessShop;
  let browser: Browser;
  let shopper: BrowserContext;
  let page: Page;
  const traces = new Map<string, PageTrace>();
  /** What the browser said (console errors, answers to its beacons), for a failure's message. */
  const browserNotes: string[] = [];
  const listen = (on: Page) => {
    on.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning')
        browserNotes.push(`console: ${message.text()}`);
    });
    on.on('response', (response) => {
      if (response.url().includes('/rum/') || response.status() >= 400)
        browserNotes.push(`${response.request().method()} ${response.url()} → ${response.status()}`);
    });
  };

  /** The page's trace: its traceparent meta tag, then the spans of that trace once both sides are in. */
  const traceOf = async (on: Page, route: string): Promise<PageTrace> => {
    const traceparent = await on.locator('meta[name="traceparent"]').getAttribute('content');
    const [, traceId = '', serverSpanId = ''] =
      /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/.exec(traceparent ?? '') ?? [];
    assert.ok(traceId, `a sampled traceparent in the page, got ${traceparent}`);
    const spans = await waitFor(
      () => {
        const found = receiver.trace(traceId);
        const browserLoad = found.some((s) => s.serviceName === 'frontend-web' && s.name === 'documentLoad');
        const server = found.some((s) => s.serviceName === 'frontend' && s.name === `GET ${route}`);
        return browserLoad && server && found;
      },
      { what: `the documentLoad and GET ${route} spans of trace ${traceId}`, timeoutMs: 30_000 },
    ).catch((error: unknown) => {
      const seen = receiver.trace(traceId).map((s) => `${s.serviceName}: ${s.name}`);
      assert.fail(
        `${String(error)}\nspans of the trace: ${seen.join(', ')}\nthe browser: ${browserNotes.join('\n')}`,
      );
    });
    return { traceId, serverSpanId, spans };
  };

  const frontendMetrics = async (): Promise<string> => (await fetch(`${shop.url}/metrics`)).text();

  before(async () => {
    const otlpEndpoint = await receiver.start();
    // PostgreSQL rather than PGlite: four WebAssembly databases starting at once are slow on a busy machine.
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    const databaseUrl = new URL(TEST_POSTGRES_URL);
    databaseUrl.pathname = `/${database}`;
    shop = await startProcessShop({
      otlpEndpoint,
      databaseUrl: databaseUrl.toString(),
      readyTimeoutMs: 120_000,
    });
    browser = await launchChromium();
    shopper = await shopperContext(browser, shop.url);
    page = await shopper.newPage();
    listen(page);

    await page.goto('/');
    traces.set('/', await traceOf(page, '/'));
    await page.locator(`[data-testid="product-card"] a[href="/product/${PRODUCT}"]`).first().click();
    await page.waitForURL(`**/product/${PRODUCT}`);
    traces.set('/product/:id', await traceOf(page, '/product/:id'));
    // A click in the page, so INP has an interaction to report; then the page is left.
    await page.locator('select[name="quantity"]').click();
    await page.keyboard.press('Escape');
    await leavePage(page);
  });

  after(async () => {
    await browser?.close();
    await shop?.stop();
    await receiver.stop();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  });

  for (const route of ['/', '/product/:id'])
    it(`joins the browser's documentLoad of ${route} to the page's server span, in one trace`, () => {
      const trace = traces.get(route);
      assert.ok(trace);
      const server = trace.spans.find((s) => s.serviceName === 'frontend' && s.kind === SERVER);
      assert.ok(server, 'the frontend server span');
      assert.equal(server.name, `GET ${route}`);
      assert.equal(server.spanId, trace.serverSpanId, "the traceparent names the page request's span");
      const load = trace.spans.find((s) => s.serviceName === 'frontend-web' && s.name === 'documentLoad');
      assert.ok(load);
      assert.equal(load.traceId, server.traceId);
      assert.equal(load.parentSpanId, server.spanId, 'documentLoad continues the server span');
      assert.equal(load.resource['service.namespace'], 'glasshouse');
      assert.equal(load.attributes['app.synthetic_request'], undefined, 'a real shopper is not synthetic');
      const fetches = trace.spans.filter(
        (s) => s.serviceName === 'frontend-web' && s.name === 'resourceFetch',
      );
      assert.ok(
        fetches.some((s) =>
          String(s.attributes['http.url'] ?? s.attributes['url.full']).includes('/static/js/rum.js'),
        ),
        'the bundle itself is one of the resources the page loaded',
      );
      // Deeper services of the same page request are in the same trace: the catalog, for both pages.
      assert.ok(trace.spans.some((s) => s.serviceName === 'productcatalog' && s.kind === SERVER));
    });

  it('records the Web Vitals of both pages in histograms by page template', async () => {
    const exposition = await waitFor(
      async () => {
        const text = await frontendMetrics();
        return (
          (metricSample(text, 'browser_web_vital_lcp_seconds_count', {
            page: '/product/:id',
            synthetic: 'false',
          }) ?? 0) >= 1 && text
        );
      },
      { what: 'the product page LCP on /metrics', timeoutMs: 15_000 },
    );
    for (const [name, page] of [
      ['browser_web_vital_ttfb_seconds', '/'],
      ['browser_web_vital_ttfb_seconds', '/product/:id'],
      ['browser_web_vital_lcp_seconds', '/product/:id'],
      ['browser_web_vital_cls', '/product/:id'],
    ] as const) {
      const count = metricSample(exposition, `${name}_count`, { page, synthetic: 'false' }) ?? 0;
      assert.ok(count >= 1, `${name}{page="${page}"} has samples`);
    }
    assert.ok(!exposition.includes(PRODUCT), 'no product id in a label');
  });

  it('marks a page the load generator asked for as synthetic, in its spans and its vitals', async () => {
    const loadgen = await shopperContext(browser, shop.url, true);
    try {
      const synthetic = await loadgen.newPage();
      listen(synthetic);
      await synthetic.goto('/');
      const trace = await traceOf(synthetic, '/');
      const load = trace.spans.find((s) => s.serviceName === 'frontend-web' && s.name === 'documentLoad');
      assert.equal(load?.attributes['app.synthetic_request'], true);
      await leavePage(synthetic);
      await waitFor(
        async () =>
          (metricSample(await frontendMetrics(), 'browser_web_vital_ttfb_seconds_count', {
            page: '/',
            synthetic: 'true',
          }) ?? 0) >= 1,
        { what: 'a synthetic TTFB sample for /', timeoutMs: 15_000 },
      );
    } finally {
      await loadgen.close();
    }
  });
});
