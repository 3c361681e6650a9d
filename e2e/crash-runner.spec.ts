import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { SERVICES } from '@glasshouse/kit';
import { freePort, freeShopAddresses, pathWithout, waitFor } from '@glasshouse/kit/testing';
import { commandLineOf, descendantsOf, hasEnded, startRunner } from '@glasshouse/testing';
import { portInUse } from '../tools/run/src/ports.js';
import {
  ALERTMANAGER_BINARIES,
  PROMETHEUS_BINARIES,
  findExecutable,
} from '../tools/run/src/observability.js';

const STARTED = SERVICES.filter((spec) => spec.implemented);

// A zombie is dead, only not yet reaped by its new parent.
const alive = (pid: number): boolean => !hasEnded(pid);

/** A PATH with Prometheus and Alertmanager and none of the other programs the runner would start. */
function pathWithPrometheus(folder: string): string {
  for (const binaries of [PROMETHEUS_BINARIES, ALERTMANAGER_BINARIES]) {
    const found = findExecutable(binaries, process.env.PATH);
    assert.ok(found, `${binaries.join(' or ')} on PATH (.ci/run installs it)`);
    symlinkSync(found, join(folder, found.split('/').at(-1) ?? 'binary'));
  }
  return [folder, pathWithout()].join(delimiter);
}

for (const mode of ['threads', 'processes'] as const) {
  describe(`kill -9 of the runner (RUN_MODE=${mode})`, { skip: process.platform !== 'linux' }, () => {
    const folder = mkdtempSync(join(tmpdir(), `glasshouse-kill-${mode}-`));
    const leftovers: number[] = [];
    after(() => {
      for (const pid of leftovers) if (alive(pid)) process.kill(pid, 'SIGKILL');
      rmSync(folder, { recursive: true, force: true });
    });

    it('leaves no process and no bound port behind, so the next start works at once', async () => {
      const shop = await freeShopAddresses(STARTED);
      const [prometheusPort, alertmanagerPort] = [await freePort(), await freePort()];
      const bin = mkdtempSync(join(folder, 'bin-'));
      const env = {
        ...process.env,
        PATH: pathWithPrometheus(bin),
        RUN_MODE: mode === 'threads' ? '' : 'processes',
        NO_COLOR: '1',
        PROMETHEUS_ADDR: `127.0.0.1:${prometheusPort}`,
        ALERTMANAGER_ADDR: `127.0.0.1:${alertmanagerPort}`,
        PGLITE_DATA_DIR: mkdtempSync(join(folder, 'data-')),
        DATABASE_URL: '',
        REDIS_URL: '',
        OTEL_EXPORTER_OTLP_ENDPOINT: '',
        ...shop.env,
      };
      const runner = await startRunner(env, 120_000);
      const children = descendantsOf(runner.process.pid ?? 0);
      leftovers.push(...children);
      const ports = [
        prometheusPort,
        alertmanagerPort,
        ...Object.values(shop.env).map((address) => Number(address.split(':').at(-1))),
      ];
      const commands = children.map(commandLineOf);
      assert.ok(
        commands.some((c) => c.includes('--web.listen-address')),
        commands.join('\n'),
      );
      if (mode === 'processes') assert.ok(children.length >= STARTED.length + 2, commands.join('\n'));

      runner.process.kill('SIGKILL');
      await runner.exited;
      const stillBound = async () => {
        const bound: number[] = [];
        for (const port of ports) if (await portInUse('127.0.0.1', port)) bound.push(port);
        return bound;
      };
      await waitFor(async () => children.every((pid) => !alive(pid)) && (await stillBound()).length === 0, {
        timeoutMs: 10_000,
        intervalMs: 200,
        what: 'every process of the run gone and every port free',
      }).catch(async (error: unknown) => {
        const left = children.flatMap((pid, i) => (alive(pid) ? [`${pid}: ${commands[i] ?? ''}`] : []));
        assert.fail(`${String(error)}\nleft: ${left.join('\n')}\nbound: ${(await stillBound()).join(', ')}`);
      });
      if (mode === 'threads') {
        // The next start takes the same ports at once, and stops cleanly.
        const next = await startRunner(env, 120_000);
        leftovers.push(...descendantsOf(next.process.pid ?? 0));
        next.process.kill('SIGTERM');
        assert.equal(await next.exited, 0, next.output().slice(-2000));
      }
    });
  });
}
