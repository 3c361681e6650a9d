import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { distinctFreePorts, waitFor } from '@glasshouse/kit/testing';
import { WebShopper, testIdTexts } from '@glasshouse/testing';
import { buildImages } from './compose/ci-images.js';
import { DockerEngine } from './compose/docker-engine.js';
import { DEFAULT_LAYERS } from './compose/layers.js';
import { ComposeProject, removeEngineDir, shopContext, writeImageOverride } from './compose/real-stack.js';
import { shopServices } from './compose/shop-layer.js';
import { ROOT, filesIn } from './compose/stack-files.js';

const SHOP_TAG = 'e2e';
/** What runs for real: the shop (without its load generator), its stores, Prometheus, Alertmanager and the exporters. */
const RUNNING = [
  ...shopServices()
    .filter((spec) => spec.protocol !== 'worker')
    .map((spec) => spec.name),
  'postgres',
  'redis',
  'prometheus',
  'alertmanager',
  'alert-webhook',
  'node-exporter',
  'postgres-exporter',
  'redis-exporter',
];
/** Containers with no scrape job of their own. */
const UNSCRAPED = new Set(['postgres', 'redis', 'alert-webhook']);
const NEXT_YEAR = new Date().getUTCFullYear() + 1;
const CARD = { number: '4432-8015-6152-0454', cvv: '672', month: 1, year: NEXT_YEAR };

type Target = { labels: Record<string, string>; health: string; lastError: string };

const seconds = (since: number): string => `${((Date.now() - since) / 1000).toFixed(1)} s`;
const report = (line: string): boolean => process.stdout.write(`# ${line}\n`);

async function json<T>(url: string): Promise<T> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
  assert.equal(response.status, 200, url);
  return ((await response.json()) as { data: T }).data;
}

describe('the compose stack, for real (Docker engine of its own, images built here)', () => {
  const started = Date.now();
  const dir = mkdtempSync('/tmp/glasshouse-compose-');
  const engine = new DockerEngine(dir);
  let project: ComposeProject | undefined;
  let up = false;
  let shopUrl = '';
  let prometheusUrl = '';
  let orderId = '';

  before(
    async () => {
      await engine.start();
      const timings = await buildImages(engine, dir, {
        context: await shopContext(dir),
        tag: `glasshouse/shop:${SHOP_TAG}`,
      });
      report(`images built in ${seconds(started)}: ${JSON.stringify(timings)}`);
      const [shopPort, prometheusPort, alertmanagerPort] = await distinctFreePorts(3);
      shopUrl = `http://127.0.0.1:${shopPort}`;
      prometheusUrl = `http://127.0.0.1:${prometheusPort}`;
      const override = join(dir, 'images.override.yaml');
      writeImageOverride(override);
      project = new ComposeProject(
        engine,
        `glasshouse-e2e-${process.pid}`,
        [...DEFAULT_LAYERS.map((layer) => join(ROOT, 'deploy', 'compose', layer)), override],
        {
          GLASSHOUSE_VERSION: SHOP_TAG,
          GLASSHOUSE_ENV: 'test',
          SHOP_PORT: String(shopPort),
          PROMETHEUS_PORT: String(prometheusPort),
          ALERTMANAGER_PORT: String(alertmanagerPort),
        },
      );
      const upAt = Date.now();
      up = true;
      await project.run(['up', '-d', '--no-build', ...RUNNING], 600_000);
      const stack = project;
      await waitFor(
        async () => {
          const states = await Promise.all(RUNNING.map(async (name) => [name, await stack.health(name)]));
          return states.every(([, health]) => health === 'healthy' || health === 'none');
        },
        { timeoutMs: 180_000, intervalMs: 1000, what: 'every container healthy' },
      );
      report(`${RUNNING.length} containers up and healthy in ${seconds(upAt)}`);
    },
    { timeout: 14 * 60_000 },
  );

  after(
    async () => {
      try {
        if (up && project) await project.run(['down', '--volumes', '--remove-orphans', '--timeout', '5']);
      } finally {
        await engine.stop();
        await removeEngineDir(dir);
        report(`the real compose run took ${seconds(started)} in all`);
      }
    },
    { timeout: 120_000 },
  );

  it('takes an order through the published frontend port and stores it in PostgreSQL', async () => {
    const stack = project!;
    try {
      const shopper = new WebShopper(shopUrl);
      await shopper.addToCart('66VCHSJNUP', 2);
      await shopper.addToCart('L9ECAV7KIM', 1);
      const placed = await shopper.checkout(CARD);
      assert.equal(placed.status, 200, placed.html);
      orderId = testIdTexts(placed.html, 'order-id')[0] ?? '';
      assert.match(orderId, /^[0-9a-f-]{36}$/);
    } catch (error) {
      const logs = await stack.logs(['frontend', 'cart', 'checkout', 'orders', 'redis', 'postgres']);
      throw new Error(`${error instanceof Error ? error.message : String(error)}\n${logs}`, { cause: error });
    }
    const sql = `SELECT count(*) FROM orders.order_items WHERE order_id = '${orderId}'`;
    assert.equal(await stack.psql('orders', sql), '2');
  });

  it('has Prometheus scraping every running container, with the rules loaded and Alertmanager found', async () => {
    const expectedJobs = RUNNING.filter((name) => !UNSCRAPED.has(name));
    const targets = await waitFor(
      async () => {
        const { activeTargets } = await json<{ activeTargets: Target[] }>(`${prometheusUrl}/api/v1/targets`);
        const running = activeTargets.filter((t) => expectedJobs.includes(t.labels.job ?? ''));
        const allUp = running.length === expectedJobs.length && running.every((t) => t.health === 'up');
        return allUp && activeTargets;
      },
      { timeoutMs: 90_000, intervalMs: 2000, what: 'every running target up' },
    );
    const down = targets.filter((t) => t.health !== 'up').map((t) => t.labels.job);
    report(
      `targets up: ${targets.length - down.length}; not running here (static checks only): ${down.join(', ')}`,
    );
    for (const target of targets.filter((t) => shopServices().some((s) => s.name === t.labels.job))) {
      assert.equal(target.labels.service, target.labels.job);
      assert.equal(target.labels.namespace, 'glasshouse');
    }
    const groups = filesIn(join(ROOT, 'deploy', 'prometheus', 'rules'), ['.yml']).flatMap(
      (file) => (parse(readFileSync(file, 'utf8')) as { groups: { name: string }[] }).groups,
    );
    const loaded = await json<{ groups: { name: string; rules: unknown[] }[] }>(
      `${prometheusUrl}/api/v1/rules`,
    );
    assert.deepEqual(loaded.groups.map((g) => g.name).sort(), groups.map((g) => g.name).sort());
    const managers = await json<{ activeAlertmanagers: { url: string }[] }>(
      `${prometheusUrl}/api/v1/alertmanagers`,
    );
    assert.equal(managers.activeAlertmanagers.length, 1);
    report(
      `rules loaded: ${loaded.groups.length} groups, ${loaded.groups.reduce((n, g) => n + g.rules.length, 0)} rules`,
    );
  });

  it('runs every container within its memory limit, none killed or restarted', async () => {
    const stack = project!;
    const ids = await Promise.all(RUNNING.map((name) => stack.container(name)));
    const states = await engine.docker([
      'inspect',
      '--format',
      '{{.Name}} {{.State.OOMKilled}} {{.RestartCount}} {{.HostConfig.Memory}}',
      ...ids,
    ]);
    for (const line of states.split('\n')) {
      const [name, oomKilled, restarts, limit] = line.split(' ');
      assert.equal(oomKilled, 'false', `${name} was killed for memory`);
      if (restarts !== '0') {
        // The log of every run of the container, so the failure says why it exited.
        const logs = await engine.containerLogs((name ?? '').replace(/^\//, ''));
        assert.fail(`${name} restarted ${restarts} times; its last lines:\n${logs}`);
      }
      assert.ok(Number(limit) > 0, `${name} runs without a memory limit`);
    }
    const usage = await engine.docker([
      'stats',
      '--no-stream',
      '--format',
      '{{.Name}} {{.MemUsage}}',
      ...ids,
    ]);
    report(`memory in use / limit: ${usage.replaceAll(`${stack.name}_`, '').replaceAll('\n', '; ')}`);
  });

  it('keeps the order through a restart of the PostgreSQL container (named volume)', async () => {
    assert.ok(orderId, 'an order was placed');
    const stack = project!;
    const before = await stack.container('postgres');
    await stack.run(['restart', 'postgres'], 120_000);
    await waitFor(async () => (await stack.health('postgres')) === 'healthy', {
      timeoutMs: 60_000,
      intervalMs: 1000,
      what: 'postgres healthy again',
    });
    assert.equal(await stack.container('postgres'), before, 'the same container, restarted');
    assert.equal(
      await stack.psql('orders', `SELECT count(*) FROM orders.orders WHERE order_id = '${orderId}'`),
      '1',
    );
  });

  it('comes down with `down -v` leaving no container, network or volume', async () => {
    await project!.run(['down', '--volumes', '--remove-orphans', '--timeout', '10'], 180_000);
    up = false;
    assert.equal(await engine.docker(['ps', '-aq']), '');
    assert.equal(await engine.docker(['volume', 'ls', '-q']), '');
    const networks = (await engine.docker(['network', 'ls', '--format', '{{.Name}}'])).split('\n');
    assert.deepEqual(
      networks.filter((name) => !['host', 'none', 'bridge'].includes(name)),
      [],
    );
  });
});
