import { request } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';

/** Raised when a condition is still false at its deadline. */
export class DeadlineError extends Error {
  constructor(
    readonly what: string,
    readonly timeoutMs: number,
  ) {
    super(`${what}: not reached within ${(timeoutMs / 1000).toFixed(1)} s`);
    this.name = 'DeadlineError';
  }
}

export interface WaitOptions {
  readonly timeoutMs: number;
  readonly intervalMs?: number;
  /** Stops waiting early (shutdown); the promise then rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/** Polls `condition` until it holds, every `intervalMs` (100 ms by default), up to `timeoutMs`. */
export async function waitFor(
  what: string,
  condition: () => boolean | Promise<boolean>,
  options: WaitOptions,
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  const interval = options.intervalMs ?? 100;
  for (;;) {
    options.signal?.throwIfAborted();
    if (await condition()) return;
    const left = deadline - Date.now();
    if (left <= 0) throw new DeadlineError(what, options.timeoutMs);
    await delay(Math.min(interval, left), undefined, { signal: options.signal });
  }
}

/** The status of `GET url`, or undefined when nothing answers within `timeoutMs`. */
export function httpStatus(url: string, timeoutMs = 1000): Promise<number | undefined> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'GET', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
    req.end();
  });
}

/** Waits until `GET url` answers 200. */
export function waitUntilReady(what: string, url: string, options: WaitOptions): Promise<void> {
  return waitFor(what, async () => (await httpStatus(url)) === 200, options);
}
