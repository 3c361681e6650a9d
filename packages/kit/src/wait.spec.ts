import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DeadlineError, waitFor } from './wait.js';

describe('waitFor', () => {
  it('rejects with a DeadlineError naming what it waited for', async () => {
    await assert.rejects(
      waitFor(() => false, { what: 'the impossible', timeoutMs: 50, intervalMs: 10 }),
      (error: unknown) => error instanceof DeadlineError && error.message.startsWith('the impossible'),
    );
  });

  it('stops at once when its signal aborts, with the reason', async () => {
    const controller = new AbortController();
    const reason = new Error('gave up');
    let polls = 0;
    await assert.rejects(
      waitFor(
        () => {
          polls += 1;
          if (polls === 2) controller.abort(reason);
          return false;
        },
        { timeoutMs: 10_000, intervalMs: 1, signal: controller.signal },
      ),
      (error: unknown) => error === reason,
    );
    assert.equal(polls, 2);
  });
});
