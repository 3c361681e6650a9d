import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { waitFor } from '../wait.js';
import { isRunning } from './processes.js';

describe('ServiceProcess', () => {
  const dir = mkdtempSync(join(tmpdir(), 'glasshouse-service-process-'));
  const started: number[] = [];
  after(() => {
    for (const pid of started) if (isRunning(pid)) process.kill(pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('ends the services a test started when that test is killed with -9', async () => {
    // A service that ignores SIGTERM, as a hung one would: the guard's SIGKILL must end it.
    const service = join(dir, 'service.js');
    writeFileSync(service, "process.on('SIGTERM', () => undefined); setInterval(() => undefined, 1000);\n");
    const test = `
      const { ServiceProcess } = require(${JSON.stringify(join(__dirname, 'service-process.ts'))});
      const child = new ServiceProcess('stubborn', ${JSON.stringify(service)}, {}).start();
      console.log(JSON.stringify({ pid: child.pid }));
      setInterval(() => undefined, 1000);`;
    const runner = spawn(process.execPath, ['--import', 'tsx', '-e', test], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    assert.ok(runner.pid);
    started.push(runner.pid);
    let pid = 0;
    runner.stdout.setEncoding('utf8');
    runner.stdout.on('data', (chunk: string) => {
      const line = chunk.split('\n').find((l) => l.startsWith('{'));
      if (line) pid = (JSON.parse(line) as { pid: number }).pid;
    });
    await waitFor(() => pid > 0, { timeoutMs: 20_000, what: 'the service started' });
    started.push(pid);
    assert.equal(isRunning(pid), true);

    runner.kill('SIGKILL');
    await waitFor(() => !isRunning(pid), { timeoutMs: 10_000, what: 'the service of the killed test ended' });
  });
});
