import { setTimeout as sleep } from 'node:timers/promises';
import type { Random } from './journeys.js';

export interface ShopBackoffOptions {
  readonly random: Random;
  /** The first pause after a failure. */
  readonly baseMs?: number;
  /** The longest pause, however long the shop stays down. */
  readonly maxMs?: number;
  readonly now?: () => number;
}

/**
 * What every shopper of a run waits on while the shop is down (connection refused, 503): a
 * pause that doubles with each failure up to a ceiling, jittered so the shoppers do not come
 * back in step, and gone with the first good answer.
 */
export class ShopBackoff {
  private failures = 0;
  private until = 0;
  private readonly baseMs: number;
  private readonly maxMs: number;
  private readonly now: () => number;

  constructor(private readonly options: ShopBackoffOptions) {
    this.baseMs = options.baseMs ?? 250;
    this.maxMs = options.maxMs ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** The shop refused a connection or answered 503. */
  failed(): void {
    this.failures = Math.min(this.failures + 1, 30);
    const ceiling = Math.min(this.maxMs, this.baseMs * 2 ** (this.failures - 1));
    // Half fixed, half random: the pause grows, and shoppers spread over its second half.
    const pause = ceiling * (0.5 + 0.5 * this.options.random());
    this.until = Math.max(this.until, this.now() + pause);
  }

  /** The shop answered: no more waiting. */
  succeeded(): void {
    this.failures = 0;
    this.until = 0;
  }

  /** How long a request would wait now. */
  get pauseMs(): number {
    return Math.max(0, this.until - this.now());
  }

  /** Waits out the pause, if any, each waiter with its own jitter; rejects when the signal aborts. */
  async wait(signal: AbortSignal): Promise<void> {
    const pause = this.pauseMs;
    if (pause > 0) await sleep(pause * (1 + 0.25 * this.options.random()), undefined, { signal });
  }
}
