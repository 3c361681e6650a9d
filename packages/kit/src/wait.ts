import { setTimeout as delay } from 'node:timers/promises';

/** Raised when a condition still does not hold at its deadline; names it and the last error. */
export class DeadlineError extends Error {
  constructor(
    readonly what: string,
    readonly timeoutMs: number,
    lastError?: unknown,
  ) {
    const reason = lastError instanceof Error ? `: ${lastError.message}` : '';
    super(`${what}: not reached within ${(timeoutMs / 1000).toFixed(1)} s${reason}`, { cause: lastError });
    this.name = 'DeadlineError';
  }
}

export interface WaitOptions {
  /** 10 s by default. */
  readonly timeoutMs?: number;
  /** 50 ms by default. */
  readonly intervalMs?: number;
  /** What is awaited, for the DeadlineError. */
  readonly what?: string;
  /** Stops waiting at once; the promise then rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/**
 * Polls `check` until it returns something other than undefined or false, and returns that.
 * A check that throws is tried again; its error is named if the deadline passes.
 */
export async function waitFor<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  options: WaitOptions = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const deadline = Date.now() + timeoutMs;
  const { signal } = options;
  let lastError: unknown;
  for (;;) {
    signal?.throwIfAborted();
    try {
      const value = await check();
      signal?.throwIfAborted();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      lastError = error;
    }
    const left = deadline - Date.now();
    if (left <= 0) throw new DeadlineError(options.what ?? 'condition', timeoutMs, lastError);
    await delay(Math.min(options.intervalMs ?? 50, left), undefined, signal ? { signal } : {});
  }
}
