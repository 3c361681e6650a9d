import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ServiceMetrics, createLogger } from '@glasshouse/kit';
import { ControlServer } from './control.js';
import type { GeneratorStatus } from './generator.js';
import { TrafficGenerator } from './generator.js';
import { JOURNEYS, seededRandom } from './journeys.js';
import { TrafficMetrics } from './metrics.js';

describe('the control endpoint', () => {
  const metrics = new ServiceMetrics({ defaultMetrics: false });
  // No shoppers: the endpoint is under test here; the end-to-end loadgen spec steers real traffic.
  const generator = new TrafficGenerator({
    target: new URL('http://127.0.0.1:1'),
    settings: { shoppers: 0, rate: 0, thinkMs: 1000, invalidRate: 0.02 },
    limits: { durationS: 0, iterations: 0, rampS: 0 },
    journeys: JOURNEYS,
    metrics: new TrafficMetrics(metrics),
    logger: createLogger({ serviceName: 'loadgen', level: 'silent' }),
    random: seededRandom(1),
  });
  const control = new ControlServer({ generator, metrics });
  let base = '';

  const call = async (method: string, path: string, body?: string) => {
    const response = await fetch(`${base}${path}`, { method, ...(body === undefined ? {} : { body }) });
    const text = await response.text();
    return { status: response.status, type: response.headers.get('content-type'), text };
  };
  const json = async (method: string, path: string, body?: string) => {
    const { status, text } = await call(method, path, body);
    return { status, body: JSON.parse(text) as GeneratorStatus & { error?: string } };
  };

  before(async () => {
    base = `http://127.0.0.1:${await control.listen('127.0.0.1', 0)}`;
    generator.start();
  });

  after(async () => {
    await generator.stop();
    await control.close();
  });

  it('answers the probes like every service', async () => {
    assert.deepEqual(await json('GET', '/healthz'), { status: 200, body: { status: 'ok' } });
    assert.deepEqual(await json('GET', '/readyz'), { status: 200, body: { status: 'ok', checks: {} } });
  });

  it("serves the loadgen's metrics on /metrics", async () => {
    const { status, type, text } = await call('GET', '/metrics');
    assert.equal(status, 200);
    assert.match(type ?? '', /openmetrics/);
    assert.match(text, /^loadgen_checkouts_total\{result="declined"\} 0$/m);
    assert.match(text, /^loadgen_shoppers 0$/m);
    assert.match(text, /^# TYPE loadgen_request_duration_seconds histogram$/m);
  });

  it('shows the run on /status', async () => {
    const { status, body } = await json('GET', '/status');
    assert.equal(status, 200);
    assert.equal(body.state, 'running');
    assert.equal(body.mode, 'closed');
    assert.equal(body.target, 'http://127.0.0.1:1');
    assert.deepEqual(body.settings, { shoppers: 0, rate: 0, thinkMs: 1000, invalidRate: 0.02 });
    assert.deepEqual(body.counts.checkouts, { placed: 0, declined: 0, out_of_stock: 0, failed: 0 });
  });

  it('pauses and resumes', async () => {
    assert.equal((await json('POST', '/pause')).body.state, 'paused');
    assert.equal((await json('GET', '/status')).body.state, 'paused');
    assert.equal((await json('POST', '/pause')).body.state, 'paused', 'pausing twice is fine');
    assert.equal((await json('POST', '/resume')).body.state, 'running');
  });

  it('changes settings from a JSON body', async () => {
    const { status, body } = await json(
      'POST',
      '/config',
      '{"rate": 2.5, "thinkMs": 200, "invalidRate": 0.1}',
    );
    assert.equal(status, 200);
    assert.deepEqual(body.settings, { shoppers: 0, rate: 2.5, thinkMs: 200, invalidRate: 0.1 });
    assert.equal(body.mode, 'open');
    assert.deepEqual((await json('GET', '/status')).body.settings, body.settings);
    assert.equal((await json('POST', '/config', '{"rate": 0}')).body.mode, 'closed');
  });

  for (const [body, message] of [
    ['{"shoppers": -1}', 'shoppers: must be from 0 to 1000, got -1'],
    ['{"shoppers": 2.5}', 'shoppers: must be a whole number from 0 to 1000'],
    ['{"invalidRate": 2}', 'invalidRate: must be from 0 to 1, got 2'],
    ['{"rate": "fast"}', 'rate: must be a number'],
    ['{"speed": 3}', 'speed: unknown setting; known: shoppers, rate, thinkMs, invalidRate'],
    ['{}', 'body: no setting to change'],
    ['[1]', 'body: expected a JSON object such as {"shoppers": 10}'],
    ['{"shoppers": ', 'body: not valid JSON'],
  ]) {
    it(`refuses ${body} with 400 and a message`, async () => {
      assert.deepEqual(await json('POST', '/config', body), { status: 400, body: { error: message } });
    });
  }

  it('leaves the settings alone after a refusal', async () => {
    const before = (await json('GET', '/status')).body.settings;
    await json('POST', '/config', '{"thinkMs": 5, "shoppers": -1}');
    assert.deepEqual((await json('GET', '/status')).body.settings, before);
  });

  it('answers 405 to the wrong method and 404 elsewhere', async () => {
    assert.equal((await call('GET', '/pause')).status, 405);
    assert.equal((await call('POST', '/status')).status, 405);
    assert.equal((await call('GET', '/nothing')).status, 404);
  });
});
