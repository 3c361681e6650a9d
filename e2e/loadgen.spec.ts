import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Logger } from '@glasshouse/kit';
import { ServiceMetrics, createLogger } from '@glasshouse/kit';
import { ServiceProcess, freePort, waitFor } from '@glasshouse/kit/testing';
import { buildFrontend } from '@glasshouse/frontend';
import type { RunLimits } from '../services/loadgen/src/config.js';
import { ControlServer } from '../services/loadgen/src/control.js';
import type { GeneratorStatus } from '../services/loadgen/src/generator.js';
import { TrafficGenerator } from '../services/loadgen/src/generator.js';
import { JOURNEYS, JOURNEY_NAMES, seededRandom } from '../services/loadgen/src/journeys.js';
import { TrafficMetrics } from '../services/loadgen/src/metrics.js';
import type { Settings } from '../services/loadgen/src/settings.js';
import type { InProcessShop } from '@glasshouse/testing';
import { backendsFor, counterValue, startInProcessShop } from '@glasshouse/testing';

/** Every journey as likely as any other, so that a short run walks each of them. */
const EVEN_JOURNEYS = JOURNEYS.map((journey) => ({ ...journey, weight: 1 }));
const JOURNEYS_IN_RUN = 140;

/** A logger whose lines the test can read. */
function capturedLogger(level: string): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: createLogger({ serviceName: 'loadgen', level, destination }), lines };
}

/** The value of the one sample of `name` whose labels include `labels`, in an exposition text. */
function sample(exposition: string, name: string, labels: Record<string, string>): number | undefined {
  const line = exposition
    .split('\n')
    .find(
      (l) =>
        l.startsWith(`${name}{`) &&
        Object.entries(labels).every(([key, value]) => l.includes(`${key}="${value}"`)),
    );
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

/**
 * The load generator against the real shop: every gRPC service in this process and the frontend
 * on a port of its own, reached over HTTP exactly as in production.
 */
describe('simulated shoppers in the real shop', () => {
  const frontendMetrics = new ServiceMetrics({ defaultMetrics: false });
  const baggageHeaders: (string | undefined)[] = [];
  let shop: InProcessShop;
  let frontend: FastifyInstance;
  let target: URL;

  const generatorFor = (settings: Settings, limits: RunLimits, metrics: ServiceMetrics, logger: Logger) =>
    new TrafficGenerator({
      target,
      settings,
      limits,
      journeys: EVEN_JOURNEYS,
      metrics: new TrafficMetrics(metrics),
      logger,
      random: seededRandom(20_26),
      tickMs: 20,
    });

  before(async () => {
    shop = await startInProcessShop({ logLevel: 'warn' });
    const logger = createLogger({ serviceName: 'frontend', level: 'silent' });
    frontend = buildFrontend({
      backends: backendsFor(shop, frontendMetrics),
      logger,
      metrics: frontendMetrics,
    });
    frontend.addHook('onRequest', async (request) => {
      const header = request.headers.baggage;
      baggageHeaders.push(Array.isArray(header) ? header.join(' | ') : header);
    });
    await frontend.listen({ host: '127.0.0.1', port: 0 });
    target = new URL(`http://127.0.0.1:${(frontend.server.address() as AddressInfo).port}`);
  });

  after(async () => {
    await frontend?.close();
    await shop?.stop();
  });

  describe(`a run of ${JOURNEYS_IN_RUN} journeys without think time`, () => {
    const metrics = new ServiceMetrics({ defaultMetrics: false });
    const { logger, lines } = capturedLogger('warn');
    let generator: TrafficGenerator;
    let status: GeneratorStatus;
    let exposition = '';

    before(async () => {
      const settings = { shoppers: 4, rate: 0, thinkMs: 0, invalidRate: 0.3 };
      generator = generatorFor(
        settings,
        { durationS: 0, iterations: JOURNEYS_IN_RUN, rampS: 0 },
        metrics,
        logger,
      );
      generator.start();
      await generator.finished();
      status = generator.status();
      exposition = (await metrics.scrape()).body;
    });

    it('walks every journey, as many times as asked', () => {
      assert.equal(status.state, 'finished');
      assert.deepEqual(Object.keys(status.counts.journeys).sort(), [...JOURNEY_NAMES].sort());
      const walked = Object.values(status.counts.journeys).reduce((sum, n) => sum + n, 0);
      assert.equal(walked, JOURNEYS_IN_RUN);
      assert.equal(status.shoppers.active, 0);
      assert.match(exposition, /^loadgen_shoppers 0$/m);
    });

    it('meets no unexpected answer', () => {
      assert.equal(status.counts.unexpected, 0, lines.join('\n'));
      assert.doesNotMatch(exposition, /status="unexpected"/);
      assert.equal(status.counts.checkouts.failed, 0);
      assert.ok(status.counts.requests >= JOURNEYS_IN_RUN);
    });

    it('sees invalid cards and addresses refused with 400 and counts them as declined', async () => {
      const { declined } = status.counts.checkouts;
      assert.ok(declined > 0, `declined ${declined} of ${JSON.stringify(status.counts.checkouts)}`);
      assert.match(
        exposition,
        new RegExp(`^loadgen_checkouts_total\\{result="declined"\\} ${declined}$`, 'm'),
      );
      const frontendText = (await frontendMetrics.scrape()).body;
      const refused = sample(frontendText, 'http_server_request_duration_seconds_count', {
        http_route: '/cart/checkout',
        http_response_status_code: '400',
      });
      assert.equal(refused, declined, 'the frontend answered 400 to exactly the declined checkouts');
    });

    it('places orders that the order service holds for the shoppers’ sessions', async () => {
      const { placed } = status.counts.checkouts;
      assert.ok(placed > 0, `placed ${placed}`);
      const sessions = generator.sessionIds();
      assert.ok(sessions.length >= 4, `sessions ${sessions.length}`);
      const stored = await Promise.all(
        sessions.map((userId) => shop.clients.orders.listOrders({ userId, limit: 100 })),
      );
      assert.equal(
        stored.reduce((sum, { orders }) => sum + orders.length, 0),
        placed,
      );
      assert.equal(
        await counterValue(shop.metricsOf('checkout'), 'orders_total', { status: 'placed' }),
        placed,
      );
    });

    it('marks every request it sends with synthetic_request baggage, once', () => {
      assert.ok(baggageHeaders.length > status.counts.requests, 'redirects were followed');
      const marks = new Set(baggageHeaders);
      assert.deepEqual([...marks], ['synthetic_request=true']);
    });
  });

  describe('a run steered through the control endpoint', () => {
    const metrics = new ServiceMetrics({ defaultMetrics: false });
    const { logger, lines } = capturedLogger('warn');
    let generator: TrafficGenerator;
    let control: ControlServer;
    let base = '';

    const post = async (path: string, body?: unknown): Promise<GeneratorStatus> => {
      const init = body === undefined ? { method: 'POST' } : { method: 'POST', body: JSON.stringify(body) };
      const response = await fetch(`${base}${path}`, init);
      assert.equal(response.status, 200);
      return (await response.json()) as GeneratorStatus;
    };
    const status = async (): Promise<GeneratorStatus> =>
      (await (await fetch(`${base}/status`)).json()) as GeneratorStatus;

    before(async () => {
      const settings = { shoppers: 3, rate: 0, thinkMs: 0, invalidRate: 0.02 };
      generator = generatorFor(settings, { durationS: 0, iterations: 0, rampS: 0 }, metrics, logger);
      control = new ControlServer({ generator, metrics });
      base = `http://127.0.0.1:${await control.listen('127.0.0.1', 0)}`;
      generator.start();
    });

    after(async () => {
      await generator.stop();
      await control.close();
    });

    it('sends traffic until paused, none while paused, and again once resumed', async () => {
      await waitFor(async () => (await status()).counts.requests >= 10, { what: 'traffic' });
      assert.equal((await post('/pause')).state, 'paused');
      // Paused for good once every shopper waits at the gate: nothing is in flight any more.
      const still = await waitFor(
        async () => {
          const now = await status();
          return now.shoppers.active === 3 && now.shoppers.waiting === 3 && now.counts.requests;
        },
        { what: 'every shopper waiting' },
      );
      for (let i = 0; i < 5; i++) assert.equal((await fetch(`${target.href}_healthz`)).status, 200);
      assert.equal((await status()).counts.requests, still, 'no request while paused');
      assert.equal((await post('/resume')).state, 'running');
      await waitFor(async () => (await status()).counts.requests > still + 5, { what: 'traffic again' });
    });

    it('changes the number of shoppers on the fly', async () => {
      assert.equal((await post('/config', { shoppers: 1 })).settings.shoppers, 1);
      await waitFor(async () => (await status()).shoppers.active === 1, { what: 'one shopper left' });
      const metricsText = await (await fetch(`${base}/metrics`)).text();
      assert.match(metricsText, /^loadgen_shoppers 1$/m);
      assert.equal((await status()).counts.unexpected, 0, lines.join('\n'));
    });

    it('switches to a request rate (open loop) and back', async () => {
      const open = await post('/config', { rate: 40, shoppers: 2 });
      assert.equal(open.mode, 'open');
      const from = open.counts.requests;
      await waitFor(async () => (await status()).counts.requests > from + 10, { what: 'open-loop traffic' });
      assert.equal((await post('/config', { rate: 0 })).mode, 'closed');
      assert.equal((await status()).counts.unexpected, 0, lines.join('\n'));
    });
  });

  describe('the loadgen process', () => {
    let loadgen: ServiceProcess;
    let admin = '';

    before(async () => {
      const port = await freePort();
      admin = `http://127.0.0.1:${port}`;
      loadgen = new ServiceProcess(
        'loadgen',
        join(__dirname, '..', 'services', 'loadgen', 'dist', 'main.js'),
        {
          LOADGEN_TARGET_URL: target.href,
          LOADGEN_ADMIN_ADDR: `127.0.0.1:${port}`,
          LOADGEN_SHOPPERS: '2',
          LOADGEN_THINK_MS: '0',
          LOADGEN_ITERATIONS: '20',
          LOADGEN_JOURNEYS: 'browseProduct,addToCart,checkout',
          LOADGEN_INVALID_RATE: '0',
          OTEL_EXPORTER_OTLP_ENDPOINT: '',
        },
      ).start();
      await loadgen.ready(`${admin}/readyz`);
    });

    after(async () => {
      await loadgen.stop();
    });

    it('runs the journeys its environment names, shows them, stops on SIGTERM', async () => {
      const done = await waitFor(
        async () => {
          const status = (await (await fetch(`${admin}/status`)).json()) as GeneratorStatus;
          return status.state === 'finished' && status;
        },
        { what: 'the run of 20 journeys to finish', timeoutMs: 30_000 },
      );
      const allowed = ['addToCart', 'browseProduct', 'checkout'];
      for (const name of Object.keys(done.counts.journeys))
        assert.ok(allowed.includes(name), `${name} allowed`);
      assert.equal(
        Object.values(done.counts.journeys).reduce((sum, n) => sum + n, 0),
        20,
      );
      assert.equal(done.counts.unexpected, 0, loadgen.lines.join('\n'));
      const metrics = await (await fetch(`${admin}/metrics`)).text();
      assert.match(
        metrics,
        /^loadgen_requests_total\{journey="browseProduct",step="viewProduct",status="200"\} \d+$/m,
      );
      assert.match(metrics, /^loadgen_request_duration_seconds_bucket\{.*journey="browseProduct".*\} \d+/m);
      assert.equal(await loadgen.stop(), 0);
      assert.ok(loadgen.logs().some((line) => line.message === 'traffic run ended'));
    });
  });
});
