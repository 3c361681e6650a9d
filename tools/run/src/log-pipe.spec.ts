import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { LEVELS, LogPipe, Terminal, formatLine, parseLogLine } from './log-pipe.js';
import { waitFor } from '@glasshouse/kit/core';

const plain = { width: 10, color: false };
const show = (line: string, fallback = LEVELS.info): string =>
  formatLine('frontend', parseLogLine(line, fallback), plain);

describe('log lines', () => {
  it('makes a pino line readable, without resource and trace fields', () => {
    const line = JSON.stringify({
      level: 30,
      time: 1760000000000,
      pid: 42,
      hostname: 'box',
      'service.name': 'frontend',
      trace_id: 'abc',
      span_id: 'def',
      msg: 'request completed',
      route: '/product/:id',
      status: 200,
      took: 'about 3 ms',
    });
    assert.equal(
      show(line),
      'frontend   | INFO  request completed route=/product/:id status=200 took="about 3 ms"',
    );
  });

  it('reads label levels and the `message` key (the kit writes those)', () => {
    const line =
      '{"level":"warn","time":"2026-01-01T00:00:00.000Z","message":"slow query","table":"products"}';
    assert.equal(show(line), 'frontend   | WARN  slow query table=products');
  });

  it('shows an error with its stack under the message', () => {
    const err = { type: 'Error', message: 'boom', stack: 'Error: boom\n    at main (main.js:1:1)' };
    const line = JSON.stringify({ level: 50, msg: 'failed', err });
    assert.equal(
      show(line),
      'frontend   | ERROR failed err="Error: boom"\n           |       ' + '    at main (main.js:1:1)',
    );
  });

  it('reads logfmt as Prometheus writes it', () => {
    const line =
      'ts=2026-01-01T00:00:00.000Z caller=main.go:1 level=warn msg="Config has changed" file=/x.yml';
    assert.equal(show(line), 'frontend   | WARN  Config has changed file=/x.yml');
  });

  it('falls back to the raw line, at the stream level', () => {
    assert.equal(
      show('    at Object.<anonymous> (/x.js:1:1)', LEVELS.error),
      'frontend   | ERROR     at Object.<anonymous> (/x.js:1:1)',
    );
    assert.equal(show('{not json', LEVELS.info), 'frontend   | INFO  {not json');
    assert.equal(
      show('(node:42) Warning: something old', LEVELS.error),
      'frontend   | WARN  (node:42) Warning: something old',
    );
    assert.equal(
      show('level=info but not logfmt', LEVELS.info),
      'frontend   | INFO  level=info but not logfmt',
    );
  });

  it('colours the name and the level for a terminal', () => {
    const line = formatLine('cart', parseLogLine('{"level":50,"msg":"down"}', LEVELS.info), {
      width: 4,
      color: true,
    });
    assert.ok(line.endsWith('\u001b[1;31mERROR\u001b[0m down'), JSON.stringify(line));
    assert.ok(line.startsWith('\u001b['));
  });
});

function collector(): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(
        ...chunk
          .toString('utf8')
          .split('\n')
          .filter((l) => l !== ''),
      );
      done();
    },
  });
  return { stream, lines };
}

describe('LogPipe', () => {
  it('appends every line to the file and shows those at or above the level', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'glasshouse-logs-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const out = collector();
    const terminal = new Terminal(out.stream, { width: 8, color: false, minLevel: LEVELS.info });
    const file = join(dir, 'nested', 'currency.log');
    const pipe = new LogPipe({ name: 'currency', filePath: file, terminal, tailLines: 2 });
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    pipe.attach(stdout, stderr);
    stdout.write('{"level":20,"msg":"debug detail"}\n{"level":30,"msg":"listening"}\n');
    stderr.write('Error: crashed\n');
    stdout.end();
    stderr.end();
    await waitFor(() => out.lines.length === 2, { what: 'two lines shown', timeoutMs: 5000 });
    assert.deepEqual(out.lines, ['currency | INFO  listening', 'currency | ERROR Error: crashed']);
    assert.deepEqual(pipe.tail(), ['{"level":30,"msg":"listening"}', 'Error: crashed']);
    await pipe.close();
    assert.equal(
      readFileSync(file, 'utf8'),
      '{"level":20,"msg":"debug detail"}\n{"level":30,"msg":"listening"}\nError: crashed\n',
    );
  });

  it('drops runner lines under the level too', () => {
    const out = collector();
    const terminal = new Terminal(out.stream, { width: 3, color: false, minLevel: LEVELS.warn });
    terminal.say('run', 'info', 'hidden');
    terminal.say('run', 'error', 'shown', { service: 'cart' });
    assert.deepEqual(out.lines, ['run | ERROR shown service=cart']);
  });
});
