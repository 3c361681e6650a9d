import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SERVICES } from '@glasshouse/kit';
import { freePort, freeShopAddresses, waitFor } from '@glasshouse/kit/testing';
import type { StartedRunner } from '@glasshouse/testing';
import {
  WebShopper,
  commandLineOf,
  descendantsOf,
  isRunning,
  startRunner,
  testIdTexts,
} from '@glasshouse/testing';
import {
  ALERTMANAGER_BINARIES,
  PROMETHEUS_BINARIES,
  findExecutable,
} from '../tools/run/src/observability.js';

const NEXT_YEAR = new Date().getUTCFullYear() + 1;
const GOOD_CARD = { number: '4432801561520454', cvv: '672', month: 1, year: NEXT_YEAR };
const STARTED = SERVICES.filter((spec) => spec.implemented && spec.name !== 'loadgen');

interface Target {
  labels: Record<string, string>;
  health: string;
}

/**
 * `RUN_MODE=processes npm start` with Prometheus and Alertmanager on PATH (the README's claims):
 * a process per service, Prometheus and Alertmanager started beside them on the ports given,
 * every service's target up, an order placed, and nothing left running after SIGTERM.
 */
describe('RUN_MODE=processes npm start, with Prometheus and Alertmanager', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'glasshouse-processes-'));
  let runner: StartedRunner;
  let shopUrl = '';
  let prometheusUrl = '';

  before(async () => {
    for (const binaries of [PROMETHEUS_BINARIES, ALERTMANAGER_BINARIES])
      assert.ok(
        findExecutable(binaries, process.env.PATH),
        `${binaries.join(' or ')} on PATH (.ci/run installs it)`,
      );
    const shop = await freeShopAddresses(STARTED);
    const [prometheusPort, alertmanagerPort] = [await freePort(), await freePort()];
    shopUrl = `http://${shop.addresses.frontend ?? ''}`;
    prometheusUrl = `http://127.0.0.1:${prometheusPort}`;
    const env: Record<string, string | undefined> = {
      ...process.env,
      RUN_MODE: 'processes',
      LOADGEN: 'off',
      NO_COLOR: '1',
      SCRAPE_INTERVAL: '1s',
      PROMETHEUS_ADDR: `127.0.0.1:${prometheusPort}`,
      ALERTMANAGER_ADDR: `127.0.0.1:${alertmanagerPort}`,
      PGLITE_DATA_DIR: dataDir,
      DATABASE_URL: '',
      REDIS_URL: '',
      OTEL_EXPORTER_OTLP_ENDPOINT: '',
      ...shop.env,
    };
    runner = await startRunner(env, 120_000);
  });

  after(async () => {
    if (runner?.process.exitCode === null) {
      for (const pid of descendantsOf(runner.process.pid ?? 0))
        if (isRunning(pid)) process.kill(pid, 'SIGKILL');
      runner.process.kill('SIGKILL');
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs every service as a process of its own, and Prometheus and Alertmanager on the ports given', () => {
    assert.match(runner.output(), /services: one process each \(RUN_MODE=processes\)/);
    const commands = descendantsOf(runner.process.pid ?? 0).map(commandLineOf);
    const missing = STARTED.filter(
      (spec) => !commands.some((c) => c.includes(join('services', spec.name, 'dist', 'main.js'))),
    );
    assert.deepEqual(
      missing.map((spec) => spec.name),
      [],
      commands.join('\n'),
    );
    assert.ok(
      runner
        .output()
        .split('\n')
        .some((line) => /^\s+prometheus\s/.test(line) && line.includes(prometheusUrl)),
      runner.output().slice(-3000),
    );
    assert.ok(commands.some((c) => c.includes(`--web.listen-address=${prometheusUrl.slice(7)}`)));
  });

  it('has Prometheus report every service’s target up', async () => {
    const targets = await waitFor(
      async () => {
        const response = await fetch(`${prometheusUrl}/api/v1/targets?state=active`);
        const body = (await response.json()) as { data: { activeTargets: Target[] } };
        const up = body.data.activeTargets.filter((t) => t.health === 'up').map((t) => t.labels.service);
        return STARTED.every((spec) => up.includes(spec.name)) && body.data.activeTargets;
      },
      { timeoutMs: 30_000, intervalMs: 500, what: 'every service target up in Prometheus' },
    );
    for (const spec of STARTED) {
      const target = targets.find((t) => t.labels.service === spec.name);
      assert.equal(target?.labels.namespace, 'glasshouse', spec.name);
    }
  });

  it('places an order', async () => {
    const shopper = new WebShopper(shopUrl);
    await shopper.addToCart('66VCHSJNUP', 1);
    const placed = await shopper.checkout(GOOD_CARD);
    assert.equal(placed.status, 200, placed.html);
    assert.match(testIdTexts(placed.html, 'order-id')[0] ?? '', /^[0-9a-f-]{36}$/);
  });

  it('stops on SIGTERM, exits 0 and leaves no process behind', async () => {
    const children = descendantsOf(runner.process.pid ?? 0);
    assert.ok(children.length >= STARTED.length + 2, `${children.length} processes under the runner`);
    runner.process.kill('SIGTERM');
    assert.equal(await runner.exited, 0, runner.output().slice(-3000));
    const left = await waitFor(() => children.every((pid) => !isRunning(pid)) || false, {
      timeoutMs: 5000,
      what: 'every process of the run gone',
    }).catch(() => children.filter(isRunning));
    assert.equal(left, true, `still running: ${String(left)}`);
  });
});
