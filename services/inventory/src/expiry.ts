import type { Logger, ServiceMetrics } from '@glasshouse/kit';
import type { StockGauges } from './gauges.js';
import type { StockRepository } from './repository.js';

/** Most reservations one pass releases; the rest wait for the next pass. */
const BATCH = 100;

export interface ReservationExpiryOptions {
  repository: StockRepository;
  gauges: StockGauges;
  metrics: ServiceMetrics;
  logger: Logger;
  /** Age past which an open reservation is released: longer than any checkout can take. */
  ttlMs: number;
}

/**
 * Gives back the stock of reservations whose checkout died between reserving and placing the
 * order (neither committed nor released in time). Each one expired is counted and logged: it
 * means a checkout was lost.
 */
export class ReservationExpiry {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private readonly expired;

  constructor(private readonly options: ReservationExpiryOptions) {
    this.expired = options.metrics.counter(
      'inventory_reservations_expired_total',
      'Open reservations released by expiry: each one a checkout that died before its order was placed.',
      [],
    );
  }

  /** Releases every reservation open longer than the TTL; returns how many. */
  async expire(): Promise<number> {
    const { repository, gauges, logger, ttlMs } = this.options;
    let released = 0;
    for (;;) {
      const stale = await repository.openOlderThan(ttlMs, BATCH);
      for (const { reservationId, ageSeconds } of stale) {
        // Committed or released since it was read: nothing to give back.
        const levels = await repository.release(reservationId, true);
        if (!levels) continue;
        gauges.record(levels);
        this.expired.inc();
        released += 1;
        logger.warn(
          {
            'app.reservation.id': reservationId,
            'app.inventory.items.count': levels.length,
            'app.reservation.age_s': Math.round(ageSeconds),
          },
          'reservation expired',
        );
      }
      if (stale.length < BATCH) return released;
    }
  }

  /** Expires every intervalMs; one pass at a time. */
  start(intervalMs: number): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.expire().finally(() => (this.running = undefined));
      this.running.catch((error: unknown) =>
        this.options.logger.warn({ err: error }, 'reservation expiry failed'),
      );
    }, intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and waits for a pass under way, so the database closes after it. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }
}
