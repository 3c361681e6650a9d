import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Lifecycle } from './lifecycle.js';
import type { Logger } from './logging.js';
import { createLogger } from './logging.js';
import type { Tracing } from './telemetry/tracing.js';

function capture(): { logger: Logger; records: () => Record<string, unknown>[] } {
  const lines: string[] = [];
  const logger = createLogger({
    serviceName: 'lifecycle-test',
    level: 'info',
    destination: { write: (l) => lines.push(l) },
  });
  return { logger, records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

function fakeTracing(events: string[]): Tracing {
  return {
    serviceName: 'lifecycle-test',
    exporting: true,
    forceFlush: () => Promise.resolve(),
    shutdown: () => {
      events.push('tracing');
      return Promise.resolve();
    },
  };
}

describe('Lifecycle', () => {
  it('runs the steps in reverse order of registration, then stops tracing', async () => {
    const events: string[] = [];
    const { logger, records } = capture();
    const lifecycle = new Lifecycle(logger, fakeTracing(events));
    lifecycle.onShutdown('database', () => {
      events.push('database');
    });
    lifecycle.onShutdown('grpc server', async () => {
      await Promise.resolve();
      events.push('grpc server');
    });
    lifecycle.onShutdown('readiness', () => {
      events.push('readiness');
    });
    await lifecycle.shutdown();
    assert.deepEqual(events, ['readiness', 'grpc server', 'database', 'tracing']);
    assert.ok(records().some((r) => r.message === 'stopped'));
  });

  it('runs each step once even when shutdown() is called again', async () => {
    let runs = 0;
    const tracingEvents: string[] = [];
    const lifecycle = new Lifecycle(capture().logger, fakeTracing(tracingEvents));
    lifecycle.onShutdown('server', async () => {
      await Promise.resolve();
      runs++;
    });
    const first = lifecycle.shutdown();
    const second = lifecycle.shutdown();
    assert.equal(first, second, 'a second call joins the shutdown in progress');
    await Promise.all([first, second]);
    await lifecycle.shutdown();
    assert.equal(runs, 1);
    assert.deepEqual(tracingEvents, ['tracing']);
  });

  it('goes on with later steps when one throws or rejects, and logs the failure', async () => {
    const events: string[] = [];
    const { logger, records } = capture();
    const lifecycle = new Lifecycle(logger);
    lifecycle.onShutdown('last', () => {
      events.push('last');
    });
    lifecycle.onShutdown('rejects', () => Promise.reject(new Error('close failed')));
    lifecycle.onShutdown('throws', () => {
      throw new Error('boom');
    });
    lifecycle.onShutdown('first', () => {
      events.push('first');
    });
    await lifecycle.shutdown();
    assert.deepEqual(events, ['first', 'last']);
    const failed = records().filter((r) => r.message === 'shutdown step failed');
    assert.deepEqual(
      failed.map((r) => [r.level, r.step]),
      [
        ['error', 'throws'],
        ['error', 'rejects'],
      ],
    );
  });

  it('cuts off a step that hangs after the step timeout', async () => {
    const events: string[] = [];
    const { logger, records } = capture();
    const lifecycle = new Lifecycle(logger, undefined, 50);
    lifecycle.onShutdown('after the hang', () => {
      events.push('after the hang');
    });
    lifecycle.onShutdown('hangs', () => new Promise<void>(() => undefined));
    const start = Date.now();
    await lifecycle.shutdown();
    const elapsed = Date.now() - start;
    assert.deepEqual(events, ['after the hang']);
    assert.ok(elapsed >= 45 && elapsed < 5000, `took ${elapsed} ms`);
    const timedOut = records().find((r) => r.message === 'shutdown step timed out');
    assert.equal(timedOut?.step, 'hangs');
    assert.equal(timedOut?.level, 'warn');
  });

  it('does not wait for the timeout when steps finish quickly', async () => {
    const lifecycle = new Lifecycle(capture().logger, undefined, 60_000);
    lifecycle.onShutdown('quick', () => undefined);
    const start = Date.now();
    await lifecycle.shutdown();
    assert.ok(Date.now() - start < 1000);
  });
});
