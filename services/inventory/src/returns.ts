import type { Database } from '@glasshouse/kit';
import type { ReservationItem, StockLevel } from './repository.js';

interface LevelRow {
  product_id: string;
  product_name: string;
  quantity: number;
  low_stock_threshold: number;
}

/** Goods given back by refunds: put in stock once per return id. */
export class StockReturns {
  constructor(
    private readonly db: Database,
    private readonly schema: string,
  ) {}

  /**
   * Puts the items back and records the return; undefined when this return id was used before
   * (nothing put back). Products the inventory does not stock are skipped.
   */
  async returnItems(returnId: string, items: readonly ReservationItem[]): Promise<StockLevel[] | undefined> {
    return this.db.transaction(async (tx) => {
      // Serialises a retry racing the original on the return id.
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))', [
        `${this.schema}.returns`,
        returnId,
      ]);
      const [earlier] = await tx.query(
        `SELECT 1 FROM ${this.schema}.stock_returns WHERE return_id = $1 LIMIT 1`,
        [returnId],
      );
      if (earlier) return undefined;
      const levels: StockLevel[] = [];
      // Products in id order, as reservations lock them, so the two cannot deadlock.
      for (const { productId, quantity } of [...items].sort((a, b) => (a.productId < b.productId ? -1 : 1))) {
        const [row] = await tx.query<LevelRow>(
          `UPDATE ${this.schema}.stock SET quantity = quantity + $2, updated_at = now()
            WHERE product_id = $1
            RETURNING product_id, product_name, quantity, low_stock_threshold`,
          [productId, quantity],
        );
        if (!row) continue;
        await tx.query(
          `INSERT INTO ${this.schema}.stock_returns (return_id, product_id, quantity) VALUES ($1, $2, $3)`,
          [returnId, productId, quantity],
        );
        levels.push({
          productId: row.product_id,
          productName: row.product_name,
          quantity: Number(row.quantity),
          lowStockThreshold: Number(row.low_stock_threshold),
        });
      }
      return levels;
    });
  }
}
