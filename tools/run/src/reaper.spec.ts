import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { waitFor } from '@glasshouse/kit/core';
import { freePort, isRunning } from '@glasshouse/kit/testing';
import { portInUse } from './ports.js';

/**
 * A runner in miniature: the guard, and two supervised children that each listen on a port —
 * one stops on SIGTERM, the other ignores it and has a child of its own. It prints the pids.
 */
function fakeRunner(ports: readonly [number, number]): string {
  const supervisor = JSON.stringify(join(__dirname, 'supervisor.ts'));
  const guard = JSON.stringify(
    join(__dirname, '..', '..', '..', 'packages', 'kit', 'src', 'process-guard.ts'),
  );
  const listen = (port: number, stubborn: boolean) =>
    [
      stubborn ? "process.on('SIGTERM', () => undefined);" : '',
      stubborn
        ? "require('node:child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'inherit' });"
        : '',
      `require('node:net').createServer().listen(${port}, '127.0.0.1', () => console.log(JSON.stringify({ pid: process.pid })));`,
    ].join(' ');
  return `
    const { SupervisedProcess } = require(${supervisor});
    const { startProcessGuard } = require(${guard});
    const guard = startProcessGuard(1000);
    for (const [name, code] of ${JSON.stringify([
      ['polite', listen(ports[0], false)],
      ['stubborn', listen(ports[1], true)],
    ])}) {
      new SupervisedProcess({
        name, command: process.execPath, args: ['-e', code], cwd: process.cwd(), env: process.env, guard,
        onOutput: (stdout) => stdout.on('data', (chunk) => process.stdout.write(chunk)),
      }).start();
    }
    setInterval(() => {}, 1000);`;
}

describe('the process guard', () => {
  const started: number[] = [];
  after(() => {
    for (const pid of started) if (isRunning(pid)) process.kill(pid, 'SIGKILL');
  });

  it('ends every child of a runner killed with -9, their children and ports included, within seconds', async () => {
    const ports = [await freePort(), await freePort()] as const;
    const runner = spawn(process.execPath, ['--import', 'tsx', '-e', fakeRunner(ports)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    assert.ok(runner.pid);
    started.push(runner.pid);
    const pids: number[] = [];
    runner.stdout.setEncoding('utf8');
    runner.stdout.on('data', (chunk: string) => {
      for (const line of chunk.split('\n'))
        if (line.startsWith('{')) pids.push((JSON.parse(line) as { pid: number }).pid);
    });
    await waitFor(() => pids.length === 2, { timeoutMs: 20_000, what: 'both children listening' });
    started.push(...pids);
    for (const port of ports) assert.equal(await portInUse('127.0.0.1', port), true);

    runner.kill('SIGKILL');
    await waitFor(
      async () => pids.every((pid) => !isRunning(pid)) && !(await portInUse('127.0.0.1', ports[1])),
      {
        timeoutMs: 8_000,
        what: 'no child of the killed runner left',
      },
    );
    for (const port of ports)
      assert.equal(await portInUse('127.0.0.1', port), false, `port ${port} still bound`);
  });
});
