import type { Logger } from '@glasshouse/kit';
import type { AuthMetrics } from './metrics.js';

/** How often the count is read again in full: sessions also end by expiring, which nothing announces. */
const REFRESH_MS = 15_000;

/**
 * auth_sessions_active, counted in the database (so every instance agrees): after each
 * sign-in or sign-out, and every REFRESH_MS. Refreshes never overlap; a change during one
 * asks for another.
 */
export class SessionGauge {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly options: { count: () => Promise<number>; metrics: AuthMetrics; logger: Logger },
  ) {}

  /** Reads the count now; resolves when the gauge shows it (or the read failed and was logged). */
  refresh(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          this.options.metrics.activeSessions(await this.options.count());
        } catch (error) {
          this.options.logger.warn({ err: error }, 'session gauge refresh failed');
        }
      } while (this.again);
      this.running = undefined;
    })();
    return this.running;
  }

  refreshSoon(): void {
    void this.refresh();
  }

  /** Refreshes now and every REFRESH_MS until stop(); the timer never keeps the process alive. */
  start(): void {
    if (this.timer) clearInterval(this.timer);
    this.refreshSoon();
    this.timer = setInterval(() => this.refreshSoon(), REFRESH_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
