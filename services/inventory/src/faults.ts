import type { Database, FeatureFlags } from '@glasshouse/kit';
import type { Reservation, ReservationItem, StockLevel } from './repository.js';
import { StockRepository } from './repository.js';

/**
 * The stock as the product-drained scenario sees it: while on, its product reads as 0 left, so
 * reservations of it are refused and its stock gauge drops to 0. The rows are not touched.
 */
export class DrainableStockRepository extends StockRepository {
  constructor(
    db: Database,
    schema: string,
    private readonly flags: FeatureFlags,
  ) {
    super(db, schema);
  }

  private drained(): string | undefined {
    return this.flags.isOn('product-drained')
      ? this.flags.text('product-drained', 'product', 'OLJCESPC7Z')
      : undefined;
  }

  override async levels(productIds: readonly string[] = []): Promise<StockLevel[]> {
    const levels = await super.levels(productIds);
    const drained = this.drained();
    return drained ? levels.map((l) => (l.productId === drained ? { ...l, quantity: 0 } : l)) : levels;
  }

  override async reserve(reservationId: string, items: readonly ReservationItem[]): Promise<Reservation> {
    const drained = this.drained();
    const item = drained ? items.find((i) => i.productId === drained) : undefined;
    if (item) {
      const [level] = await super.levels([item.productId]);
      if (level)
        return { outcome: 'not enough stock', level: { ...level, quantity: 0 }, requested: item.quantity };
    }
    return super.reserve(reservationId, items);
  }
}
