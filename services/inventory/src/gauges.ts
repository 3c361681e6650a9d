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
  /** The products recorded during each refresh under way: their recorded level is newer than the one read. */
  private readonly reading = new Set<Set<string>>();
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
    for (const recorded of this.reading) for (const level of levels) recorded.add(level.productId);
    this.apply(levels);
  }

  /**
   * Reads every level and replaces what the gauges show, but for products recorded while it
   * read. (Skipping the whole refresh then left a level a scenario changed, such as
   * product-drained's, stale for as long as orders kept coming.)
   */
  async refresh(): Promise<void> {
    const recorded = new Set<string>();
    this.reading.add(recorded);
    let all: StockLevel[];
    try {
      all = await this.options.load();
    } finally {
      this.reading.delete(recorded);
    }
    const fresh = all.map((level) =>
      recorded.has(level.productId) ? (this.levels.get(level.productId) ?? level) : level,
    );
    this.levels.clear();
    this.stockLevel.reset();
    this.apply(fresh);
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
