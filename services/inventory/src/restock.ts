import type { Logger, ServiceMetrics } from '@glasshouse/kit';
import type { StockGauges } from './gauges.js';
import type { StockRepository } from './repository.js';

export interface RestockOptions {
  repository: StockRepository;
  gauges: StockGauges;
  metrics: ServiceMetrics;
  logger: Logger;
  /** Restocked level: threshold × factor, at least minimum. */
  factor: number;
  minimum: number;
  /** Reorder point: threshold × reorderFactor; 1 restocks only products already low. */
  reorderFactor?: number;
}

/**
 * Deliveries from the supplier, so a shop driven by the load generator for days never runs low:
 * products at their reorder point, above the low-stock threshold, come back on a short timer.
 * Low and empty stock are failures to switch on, not the weather.
 */
export class Restocker {
  private timer: NodeJS.Timeout | undefined;
  private readonly restocks;

  constructor(private readonly options: RestockOptions) {
    this.restocks = options.metrics.counter(
      'inventory_restocks_total',
      'Products restocked by the supplier.',
      [],
    );
  }

  async restock(): Promise<number> {
    const { factor, minimum, reorderFactor } = this.options;
    const levels = await this.options.repository.restockLow(factor, minimum, reorderFactor);
    if (levels.length > 0) {
      this.options.gauges.record(levels);
      this.restocks.inc(levels.length);
      this.options.logger.info({ products: levels.map((l) => l.productId) }, 'low products restocked');
    }
    return levels.length;
  }

  /** Restocks every intervalMs; 0 turns deliveries off. */
  start(intervalMs: number): void {
    if (intervalMs <= 0) return;
    this.timer = setInterval(() => {
      this.restock().catch((error: unknown) => this.options.logger.warn({ err: error }, 'restock failed'));
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
