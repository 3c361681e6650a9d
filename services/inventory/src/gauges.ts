import type { Logger, ServiceMetrics } from '@glasshouse/kit';
import type { StockLevel } from './repository.js';

/** Whether a level is low: at or below its threshold, as the low_stock_products view says. */
export const isLow = (quantity: number, threshold: number): boolean => quantity <= threshold;

export interface StockGaugeOptions {
  metrics: ServiceMetrics;
  /** Reads every product's level (the repository). */
  load: () => Promise<StockLevel[]>;
  logger: Logger;
}

/**
 * inventory_stock_level{product_id,product_name} and inventory_low_stock_products. Each change
 * this process makes is recorded at once; a periodic full refresh picks up changes made by
 * other replicas or by hand. Product ids are fine as labels here: the catalogue is bounded.
 */
export class StockGauges {
  private readonly stockLevel: ReturnType<ServiceMetrics['gauge']>;
  private readonly lowStockProducts: ReturnType<ServiceMetrics['gauge']>;
  private readonly levels = new Map<string, StockLevel>();
  private changes = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: StockGaugeOptions) {
    this.stockLevel = options.metrics.gauge('inventory_stock_level', 'Units in stock per product.', [
      'product_id',
      'product_name',
    ]);
    this.lowStockProducts = options.metrics.gauge(
      'inventory_low_stock_products',
      'Products at or below their low-stock threshold.',
      [],
    );
  }

  /** Records levels that just changed. */
  record(levels: readonly StockLevel[]): void {
    this.changes++;
    this.apply(levels);
  }

  /** Reads every level and replaces what the gauges show. */
  async refresh(): Promise<void> {
    const seen = this.changes;
    const all = await this.options.load();
    // A change recorded while reading is newer than what was read; the next refresh catches up.
    if (seen !== this.changes) return;
    this.levels.clear();
    this.stockLevel.reset();
    this.apply(all);
  }

  /** Refreshes every intervalMs until stop(); the timer never keeps the process alive. */
  start(intervalMs: number): void {
    this.stop();
    this.timer = setInterval(() => {
      this.refresh().catch((error: unknown) =>
        this.options.logger.warn({ err: error }, 'stock gauge refresh failed'),
      );
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private apply(levels: readonly StockLevel[]): void {
    for (const level of levels) {
      this.levels.set(level.productId, level);
      this.stockLevel.set({ product_id: level.productId, product_name: level.productName }, level.quantity);
    }
    let low = 0;
    for (const level of this.levels.values()) if (isLow(level.quantity, level.lowStockThreshold)) low++;
    this.lowStockProducts.set(low);
  }
}
