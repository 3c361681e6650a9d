import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import { LEVELS, Terminal } from './log-pipe.js';
import { freePort } from '@glasshouse/kit/testing';
import { httpStatus } from './readiness.js';
import { Stack, StartupError } from './stack.js';

/** A stand-in service: /readyz answers 200 on PORT; SIGTERM closes it and exits 0. */
const SERVICE = `const http = require('node:http');
const server = http.createServer((req, res) => res.writeHead(req.url === '/readyz' ? 200 : 404).end());
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log(JSON.stringify({ level: 30, msg: 'listening' })));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

const CRASHING = `console.log(JSON.stringify({ level: 50, msg: 'cannot open the rates file' }));
process.exit(3);
`;

function setUp(t: TestContext): { dir: string; stack: Stack; lines: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'glasshouse-stack-'));
  writeFileSync(join(dir, 'service.js'), SERVICE);
  writeFileSync(join(dir, 'crashing.js'), CRASHING);
  const lines: string[] = [];
  const out = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(
        ...chunk
          .toString('utf8')
          .split('\n')
          .filter((line) => line !== ''),
      );
      done();
    },
  });
  const terminal = new Terminal(out, { width: 8, color: false, minLevel: LEVELS.debug });
  const stack = new Stack({
    terminal,
    logDir: join(dir, 'log'),
    cwd: dir,
    backoff: { initialMs: 10, maxMs: 20, resetAfterMs: 60_000 },
    stopTimeoutMs: 2000,
  });
  t.after(async () => {
    await stack.stopAll();
    rmSync(dir, { recursive: true, force: true });
  });
  return { dir, stack, lines };
}

describe('Stack', () => {
  it('waits for readiness, and stops a service before what it depends on', async (t) => {
    const { stack, lines } = setUp(t);
    const [dbPort, apiPort] = [await freePort(), await freePort()];
    const url = (port: number): string => `http://127.0.0.1:${port}/readyz`;
    const probe = (port: number) => async () => (await httpStatus(url(port))) === 200;
    const env = (port: number) => ({ ...process.env, PORT: String(port) });

    stack.launch({ name: 'db', command: process.execPath, args: ['service.js'], env: env(dbPort) });
    await stack.waitReady('db', url(dbPort), probe(dbPort), { timeoutMs: 10_000 });
    stack.launch({
      name: 'api',
      command: process.execPath,
      args: ['service.js'],
      env: env(apiPort),
      dependsOn: ['db'],
    });
    await stack.waitReady('api', url(apiPort), probe(apiPort), { timeoutMs: 10_000 });
    assert.ok(lines.includes('db       | INFO  listening'));

    const pids = stack.pids();
    assert.equal(pids.length, 2);
    await stack.stopAll();
    const stopped = lines.filter((line) => /stopped/.test(line));
    assert.deepEqual(stopped, ['run      | DEBUG api stopped code=0', 'run      | DEBUG db stopped code=0']);
    for (const pid of pids) assert.throws(() => process.kill(pid, 0), /ESRCH/);
  });

  it('gives up on a service that keeps crashing before it is ready, with the end of its log', async (t) => {
    const { stack, lines } = setUp(t);
    stack.launch({ name: 'rates', command: process.execPath, args: ['crashing.js'], env: process.env });
    const error = await stack
      .waitReady('rates', 'never', () => Promise.resolve(false), { timeoutMs: 10_000 })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    assert.ok(error instanceof StartupError, String(error));
    assert.match(error.message, /^rates exited 3 times before it was ready \(exit code 3\)$/);
    assert.ok(error.logTail.includes('rates | ERROR cannot open the rates file'), error.logTail.join('\n'));
    assert.ok(lines.some((line) => line.includes('rates exited unexpectedly (exit code 3')));
  });

  it('names the service and the probe when it is not ready in time', async (t) => {
    const { stack } = setUp(t);
    const port = await freePort();
    stack.launch({
      name: 'slow',
      command: process.execPath,
      args: ['service.js'],
      env: { ...process.env, PORT: String(port) },
    });
    await assert.rejects(
      stack.waitReady('slow', 'GET /never', () => Promise.resolve(false), { timeoutMs: 300 }),
      (error: unknown) =>
        error instanceof StartupError && error.message === 'slow was not ready within 0.3 s (GET /never)',
    );
  });
});
