import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import { waitFor } from '@glasshouse/kit/core';
import { isRunning } from '@glasshouse/kit/testing';
import { DEFAULT_BACKOFF, RestartBackoff, SupervisedProcess, backoffDelay } from './supervisor.js';
import type { SupervisorEvent } from './supervisor.js';

describe('backoff', () => {
  it('doubles from 0.5 s up to 30 s', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8, 100].map((failures) => backoffDelay(failures, DEFAULT_BACKOFF));
    assert.deepEqual(delays, [500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });

  it('starts over after a child stayed up for 60 s', () => {
    const backoff = new RestartBackoff();
    assert.deepEqual([backoff.next(10), backoff.next(10), backoff.next(10)], [500, 1000, 2000]);
    assert.equal(backoff.next(60_000), 500);
    assert.equal(backoff.next(59_999), 1000);
  });
});

function scriptIn(t: TestContext, source: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'glasshouse-supervisor-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'child.js');
  writeFileSync(file, source);
  return file;
}

describe('SupervisedProcess', () => {
  it('restarts a child that exits, with backoff, and stops it cleanly', async (t) => {
    // Exits on its first two runs, then stays up.
    const script = scriptIn(
      t,
      `const fs = require('node:fs');
const counter = require('node:path').join(__dirname, 'runs');
const run = fs.existsSync(counter) ? Number(fs.readFileSync(counter, 'utf8')) + 1 : 1;
fs.writeFileSync(counter, String(run));
if (run < 3) process.exit(1);
setInterval(() => undefined, 1000);
`,
    );
    const events: SupervisorEvent[] = [];
    const child = new SupervisedProcess({
      name: 'flaky',
      command: process.execPath,
      args: [script],
      cwd: tmpdir(),
      env: process.env,
      backoff: { initialMs: 20, maxMs: 30, resetAfterMs: 60_000 },
      onEvent: (event) => events.push(event),
    });
    t.after(() => child.stop());
    child.start();
    await waitFor(() => child.startCount === 3 && child.pid !== undefined, {
      what: 'third start',
      timeoutMs: 10_000,
    });
    const crashes = events.filter((e) => e.type === 'crashed');
    assert.deepEqual(
      crashes.map((e) => [e.code, e.restartInMs]),
      [
        [1, 20],
        [1, 30],
      ],
    );
    const pid = child.pid;
    assert.ok(pid !== undefined && isRunning(pid));
    await child.stop();
    assert.equal(isRunning(pid), false);
    assert.equal(child.pid, undefined);
    assert.equal(events.at(-1)?.type, 'stopped');
  });

  it('kills a child that ignores SIGTERM once the stop timeout has passed', async (t) => {
    const script = scriptIn(
      t,
      `process.on('SIGTERM', () => console.log('ignoring SIGTERM'));
console.log('ready');
setInterval(() => undefined, 1000);
`,
    );
    const lines: string[] = [];
    const events: SupervisorEvent[] = [];
    const child = new SupervisedProcess({
      name: 'stubborn',
      command: process.execPath,
      args: [script],
      cwd: tmpdir(),
      env: process.env,
      stopTimeoutMs: 200,
      onOutput: (stdout) => createInterface({ input: stdout }).on('line', (line) => lines.push(line)),
      onEvent: (event) => events.push(event),
    });
    t.after(() => child.stop());
    child.start();
    await waitFor(() => lines.includes('ready'), { what: 'child ready', timeoutMs: 10_000 });
    const pid = child.pid;
    assert.ok(pid !== undefined);
    await child.stop();
    assert.equal(isRunning(pid), false);
    assert.deepEqual(
      events.map((e) => e.type),
      ['spawned', 'killed', 'stopped'],
    );
    assert.ok(events.some((e) => e.type === 'stopped' && e.signal === 'SIGKILL'));
  });

  it('does not restart a child that exits on its own once an exit is expected (Ctrl-C)', async (t) => {
    const script = scriptIn(
      t,
      `process.on('SIGINT', () => process.exit(0));
console.log('ready');
setInterval(() => undefined, 1000);
`,
    );
    const lines: string[] = [];
    const events: SupervisorEvent[] = [];
    const child = new SupervisedProcess({
      name: 'polite',
      command: process.execPath,
      args: [script],
      cwd: tmpdir(),
      env: process.env,
      backoff: { initialMs: 1, maxMs: 1, resetAfterMs: 60_000 },
      onOutput: (stdout) => createInterface({ input: stdout }).on('line', (line) => lines.push(line)),
      onEvent: (event) => events.push(event),
    });
    t.after(() => child.stop());
    child.start();
    await waitFor(() => lines.includes('ready'), { what: 'child ready', timeoutMs: 10_000 });
    const pid = child.pid;
    assert.ok(pid !== undefined);
    child.expectExit();
    process.kill(pid, 'SIGINT');
    await waitFor(() => child.pid === undefined, { what: 'child gone', timeoutMs: 10_000 });
    await child.stop();
    assert.deepEqual(
      events.map((e) => e.type),
      ['spawned', 'stopped'],
    );
    assert.equal(child.startCount, 1);
  });

  it('reports a command that cannot be spawned and retries it', async (t) => {
    const events: SupervisorEvent[] = [];
    const child = new SupervisedProcess({
      name: 'missing',
      command: join(tmpdir(), 'no-such-binary-for-glasshouse'),
      args: [],
      cwd: tmpdir(),
      env: process.env,
      backoff: { initialMs: 10, maxMs: 10, resetAfterMs: 60_000 },
      onEvent: (event) => events.push(event),
    });
    t.after(() => child.stop());
    child.start();
    await waitFor(() => events.filter((e) => e.type === 'spawn-failed').length >= 2, {
      what: 'two failed spawns',
      timeoutMs: 10_000,
    });
    await child.stop();
    assert.equal(child.pid, undefined);
  });
});

describe('SupervisedProcess as a worker thread', () => {
  const threadOptions = (script: string) => ({
    command: process.execPath,
    args: [script],
    cwd: tmpdir(),
    env: { ...process.env, THREAD_GREETING: 'hello from the env' },
    thread: true,
  });

  it('runs the script as a thread with its env, stops it with the stop message, restarts it when it crashes', async (t) => {
    // First run: throws after printing. Later runs: stay up until the stop message.
    const script = scriptIn(
      t,
      `const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const counter = require('node:path').join(__dirname, 'runs');
const run = fs.existsSync(counter) ? Number(fs.readFileSync(counter, 'utf8')) + 1 : 1;
fs.writeFileSync(counter, String(run));
console.log(process.env.THREAD_GREETING + ', run ' + run + ', pid ' + process.pid);
if (run === 1) setImmediate(() => { throw new Error('first run fails'); });
parentPort.on('message', (m) => {
  if (m && m.type === 'glasshouse.stop') { console.log('stopping'); process.exit(0); }
});
`,
    );
    const lines: string[] = [];
    const events: SupervisorEvent[] = [];
    const child = new SupervisedProcess({
      name: 'threaded',
      ...threadOptions(script),
      backoff: { initialMs: 10, maxMs: 10, resetAfterMs: 60_000 },
      onOutput: (stdout) => createInterface({ input: stdout }).on('line', (line) => lines.push(line)),
      onEvent: (event) => events.push(event),
    });
    t.after(() => child.stop());
    child.start();
    await waitFor(() => lines.some((l) => l.includes('run 2')), { what: 'second run up', timeoutMs: 10_000 });
    // A thread of this process: same pid, its own env.
    assert.ok(lines.includes(`hello from the env, run 1, pid ${process.pid}`), lines.join('\n'));
    assert.deepEqual(
      events.filter((e) => e.type === 'crashed').map((e) => e.type === 'crashed' && e.code),
      [1],
    );
    await child.stop();
    assert.ok(lines.includes('stopping'), lines.join('\n'));
    assert.deepEqual(
      events.map((e) => e.type),
      ['spawned', 'crashed', 'spawned', 'stopped'],
    );
    assert.equal(child.pid, undefined);
  });

  it('terminates a thread that ignores the stop message once the stop timeout has passed', async (t) => {
    const script = scriptIn(t, `setInterval(() => undefined, 1000);\nconsole.log('ready');\n`);
    const lines: string[] = [];
    const events: SupervisorEvent[] = [];
    const child = new SupervisedProcess({
      name: 'stubborn-thread',
      ...threadOptions(script),
      stopTimeoutMs: 200,
      onOutput: (stdout) => createInterface({ input: stdout }).on('line', (line) => lines.push(line)),
      onEvent: (event) => events.push(event),
    });
    t.after(() => child.stop());
    child.start();
    await waitFor(() => lines.includes('ready'), { what: 'thread ready', timeoutMs: 10_000 });
    await child.stop();
    assert.deepEqual(
      events.map((e) => e.type),
      ['spawned', 'killed', 'stopped'],
    );
  });

  it('ends a thread that outgrows its heap limit and restarts it, while this process lives on', async (t) => {
    const script = scriptIn(
      t,
      `console.log('up');
const hoard = [];
setInterval(() => { for (let i = 0; i < 2000; i += 1) hoard.push({ i, text: 'x'.repeat(64) + i }); }, 1);
`,
    );
    const events: SupervisorEvent[] = [];
    const child = new SupervisedProcess({
      name: 'leaky-thread',
      ...threadOptions(script),
      threadLimits: { heapMb: 16 },
      backoff: { initialMs: 10_000, maxMs: 10_000, resetAfterMs: 60_000 },
      onEvent: (event) => events.push(event),
    });
    t.after(() => child.stop());
    child.start();
    await waitFor(() => events.some((e) => e.type === 'crashed'), {
      what: 'the thread ended',
      timeoutMs: 30_000,
    });
    const crash = events.find((e) => e.type === 'crashed');
    assert.equal(crash?.type === 'crashed' && crash.restartInMs, 10_000);
    assert.equal(child.pid, undefined);
    await child.stop();
  });
});
