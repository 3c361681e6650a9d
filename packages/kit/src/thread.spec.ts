import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { waitFor } from './wait.js';
import { STOP_MESSAGE, inServiceThread, isStopMessage } from './thread.js';

/**
 * A service's context and lifecycle, as a service thread of the runner sets them up (the kit's
 * TypeScript source, compiled on the fly by tsx as in this test process).
 */
const SERVICE_IN_A_THREAD = `
require('tsx/cjs');
const { createServiceContext } = require('@glasshouse/kit');
const context = createServiceContext('currency', { LOG_LEVEL: 'info' });
context.lifecycle.onShutdown('a step', () => context.logger.info('step ran'));
context.lifecycle.installSignalHandlers();
context.logger.info('up');
setInterval(() => undefined, 1000);
`;

function threadNames(): string[] {
  return readdirSync('/proc/self/task').map((tid) =>
    readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim(),
  );
}

describe('service threads', () => {
  it('knows the main thread is not a service thread', () => {
    assert.equal(inServiceThread(), false);
    assert.equal(isStopMessage(STOP_MESSAGE), true);
    assert.equal(isStopMessage({ type: 'something else' }), false);
    assert.equal(isStopMessage(null), false);
  });

  it('logs to its own stdout, is named after its service, and stops on the stop message', async () => {
    const worker = new Worker(SERVICE_IN_A_THREAD, { eval: true, stdout: true });
    const lines: Record<string, unknown>[] = [];
    createInterface({ input: worker.stdout }).on('line', (line) =>
      lines.push(JSON.parse(line) as Record<string, unknown>),
    );
    const exited = new Promise<number>((resolve) => worker.once('exit', resolve));
    await waitFor(() => lines.some((l) => l.message === 'up'), { timeoutMs: 20_000, what: 'the thread up' });
    assert.equal(lines[0]?.['service.name'], 'currency');
    if (process.platform === 'linux') assert.ok(threadNames().includes('currency'), threadNames().join(' '));

    worker.postMessage(STOP_MESSAGE);
    assert.equal(await exited, 0);
    const messages = lines.map((l) => l.message);
    assert.deepEqual(messages.slice(messages.indexOf('up')), ['up', 'shutting down', 'step ran', 'stopped']);
    assert.equal(lines.find((l) => l.message === 'shutting down')?.signal, 'stop message');
  });
});
