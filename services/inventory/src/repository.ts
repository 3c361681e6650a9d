import type { inventory } from '@glasshouse/contracts';
import type { Database, Queryable } from '@glasshouse/kit';

export type StockLevel = inventory.StockLevel;

/** A product's level after a change, with what it was before. */
export interface StockChange {
  level: StockLevel;
  previousQuantity: number;
  previousThreshold: number;
}

export interface ReservationItem {
  productId: string;
  quantity: number;
}

export type Reservation =
  | { outcome: 'reserved'; changes: StockChange[] }
  /** The reservation id was used before: nothing was taken this time. */
  | { outcome: 'already reserved'; levels: StockLevel[] }
  | { outcome: 'unknown product'; productId: string }
  | { outcome: 'not enough stock'; level: StockLevel; requested: number };

interface LevelRow {
  product_id: string;
  product_name: string;
  quantity: number;
  low_stock_threshold: number;
}

const LEVEL_COLUMNS = 'product_id, product_name, quantity, low_stock_threshold';

function toLevel(row: LevelRow): StockLevel {
  return {
    productId: row.product_id,
    productName: row.product_name,
    quantity: Number(row.quantity),
    lowStockThreshold: Number(row.low_stock_threshold),
  };
}

/**
 * How the database refuses a one-statement reservation: check_violation (a product short),
 * foreign_key_violation (unknown), unique_violation (the reservation id was used before).
 */
const REFUSALS: ReadonlySet<string> = new Set(['23514', '23503', '23505']);

/** Carries a refusal out of a transaction, rolling it back. */
class Refused extends Error {
  constructor(readonly reservation: Reservation) {
    super(reservation.outcome);
  }
}

/** Stock levels and reservations in the inventory's own schema. */
export class StockRepository {
  constructor(
    private readonly db: Database,
    private readonly schema: string,
  ) {}

  /** Levels of the given products (those that exist, in the order asked), or of every product by name. */
  async levels(productIds: readonly string[] = []): Promise<StockLevel[]> {
    if (productIds.length === 0) {
      const rows = await this.db.query<LevelRow>(
        `SELECT ${LEVEL_COLUMNS} FROM ${this.schema}.stock ORDER BY product_name, product_id`,
      );
      return rows.map(toLevel);
    }
    const rows = await this.db.query<LevelRow>(
      `SELECT ${LEVEL_COLUMNS} FROM ${this.schema}.stock WHERE product_id = ANY($1::text[])`,
      [[...new Set(productIds)]],
    );
    const byId = new Map(rows.map((row) => [row.product_id, toLevel(row)]));
    return [...new Set(productIds)].flatMap((id) => byId.get(id) ?? []);
  }

  /** Products at or below their threshold (the low_stock_products view), emptiest first. */
  async lowStock(): Promise<StockLevel[]> {
    const rows = await this.db.query<LevelRow>(
      `SELECT ${LEVEL_COLUMNS} FROM ${this.schema}.low_stock_products ORDER BY quantity, product_id`,
    );
    return rows.map(toLevel);
  }

  /**
   * Takes every item out of stock, or none. The usual case, a new reservation of products in
   * stock, is one statement (takeAtOnce); anything else (a repeated id, a short or unknown
   * product) goes to the step-by-step transaction (takeStepByStep), which tells which. Both
   * hold the lock on the reservation id and lock products in id order, so they cannot deadlock.
   */
  async reserve(reservationId: string, items: readonly ReservationItem[]): Promise<Reservation> {
    const changes = await this.takeAtOnce(reservationId, items);
    if (changes) return { outcome: 'reserved', changes };
    return this.takeStepByStep(reservationId, items);
  }

  /**
   * A new reservation in one statement, so one round trip: lock the reservation id, lock the
   * products in id order, decrement them, insert the reservation lines. The database refuses the
   * statement as a whole when a product is short (the stock CHECK quantity >= 0, judged against
   * the committed level since a waiting update re-reads its row), unknown (the reservation's
   * foreign key) or the id was used before (its primary key); undefined then, nothing taken.
   */
  private async takeAtOnce(
    reservationId: string,
    items: readonly ReservationItem[],
  ): Promise<StockChange[] | undefined> {
    let rows: LevelRow[];
    try {
      rows = await this.db.query<LevelRow>(
        `WITH guard AS (
           SELECT pg_advisory_xact_lock(hashtext($4), hashtext($1))
         ), item AS (
           SELECT product_id, quantity
             FROM guard, unnest($2::text[], $3::integer[]) AS item (product_id, quantity)
         ), locked AS (
           SELECT stock.product_id FROM ${this.schema}.stock JOIN item USING (product_id)
            ORDER BY stock.product_id
              FOR NO KEY UPDATE OF stock
         ), taken AS (
           UPDATE ${this.schema}.stock SET quantity = stock.quantity - item.quantity, updated_at = now()
             FROM locked JOIN item USING (product_id)
            WHERE stock.product_id = locked.product_id
           RETURNING stock.product_id, stock.product_name, stock.quantity, stock.low_stock_threshold
         ), booked AS (
           INSERT INTO ${this.schema}.reservations (reservation_id, product_id, quantity)
           SELECT $1, product_id, quantity FROM item
         )
         SELECT ${LEVEL_COLUMNS} FROM taken`,
        [reservationId, items.map((item) => item.productId), items.map((item) => item.quantity), this.schema],
      );
    } catch (error) {
      if (REFUSALS.has((error as { code?: string }).code ?? '')) return undefined;
      throw error;
    }
    const levels = new Map(rows.map((row) => [row.product_id, toLevel(row)]));
    return items.flatMap(({ productId, quantity }) => {
      const level = levels.get(productId);
      return level
        ? [{ level, previousQuantity: level.quantity + quantity, previousThreshold: level.lowStockThreshold }]
        : [];
    });
  }

  /**
   * The careful reservation, one query at a time: answers a repeat with the levels, takes a
   * released id afresh, and names an unknown or short product. Each decrement is conditional
   * (`quantity >= n`), so concurrent transactions on Postgres cannot oversell: the row lock
   * makes the second wait and re-check the condition against the committed level.
   */
  private async takeStepByStep(
    reservationId: string,
    items: readonly ReservationItem[],
  ): Promise<Reservation> {
    try {
      return await this.db.transaction(async (tx) => {
        await this.lockReservation(tx, reservationId);
        const earlier = await tx.query<LevelRow>(
          `SELECT ${LEVEL_COLUMNS} FROM ${this.schema}.stock
            WHERE product_id IN (SELECT product_id FROM ${this.schema}.reservations
                                  WHERE reservation_id = $1 AND released_at IS NULL)
            ORDER BY product_id`,
          [reservationId],
        );
        if (earlier.length > 0) return { outcome: 'already reserved', levels: earlier.map(toLevel) };
        // A released reservation reserved again is a new attempt (checkout retrying an order
        // after a declined card): it takes the stock afresh.
        await tx.query(
          `DELETE FROM ${this.schema}.reservations WHERE reservation_id = $1 AND released_at IS NOT NULL`,
          [reservationId],
        );

        const ids = items.map((item) => item.productId);
        const known = await tx.query<{ product_id: string }>(
          `SELECT product_id FROM ${this.schema}.stock WHERE product_id = ANY($1::text[])`,
          [ids],
        );
        const knownIds = new Set(known.map((row) => row.product_id));
        const unknown = ids.find((id) => !knownIds.has(id));
        if (unknown !== undefined) throw new Refused({ outcome: 'unknown product', productId: unknown });

        const taken = new Map<string, StockChange>();
        const byId = [...items].sort((a, b) => (a.productId < b.productId ? -1 : 1));
        for (const { productId, quantity } of byId) {
          const [row] = await tx.query<LevelRow>(
            `UPDATE ${this.schema}.stock SET quantity = quantity - $2, updated_at = now()
              WHERE product_id = $1 AND quantity >= $2
              RETURNING ${LEVEL_COLUMNS}`,
            [productId, quantity],
          );
          if (!row) {
            const [current] = await tx.query<LevelRow>(
              `SELECT ${LEVEL_COLUMNS} FROM ${this.schema}.stock WHERE product_id = $1`,
              [productId],
            );
            if (!current) throw new Refused({ outcome: 'unknown product', productId });
            throw new Refused({ outcome: 'not enough stock', level: toLevel(current), requested: quantity });
          }
          const level = toLevel(row);
          taken.set(productId, {
            level,
            previousQuantity: level.quantity + quantity,
            previousThreshold: level.lowStockThreshold,
          });
        }
        await tx.query(
          `INSERT INTO ${this.schema}.reservations (reservation_id, product_id, quantity)
           SELECT $1, product_id, quantity FROM unnest($2::text[], $3::int[]) AS item (product_id, quantity)`,
          [reservationId, ids, items.map((item) => item.quantity)],
        );
        return { outcome: 'reserved', changes: ids.flatMap((id) => taken.get(id) ?? []) };
      });
    } catch (error) {
      if (error instanceof Refused) return error.reservation;
      throw error;
    }
  }

  /**
   * Puts a reservation's items back and marks it released; returns the new levels, or
   * undefined when there was nothing to release (unknown, released before, or — when
   * `uncommittedOnly`, as expiry asks — committed).
   */
  async release(reservationId: string, uncommittedOnly = false): Promise<StockLevel[] | undefined> {
    return this.db.transaction(async (tx) => {
      await this.lockReservation(tx, reservationId);
      const lines = await tx.query<{ product_id: string; quantity: number }>(
        `UPDATE ${this.schema}.reservations SET released_at = now()
          WHERE reservation_id = $1 AND released_at IS NULL AND ($2::boolean IS FALSE OR committed_at IS NULL)
          RETURNING product_id, quantity`,
        [reservationId, uncommittedOnly],
      );
      if (lines.length === 0) return undefined;
      const levels: StockLevel[] = [];
      for (const line of [...lines].sort((a, b) => (a.product_id < b.product_id ? -1 : 1))) {
        const [row] = await tx.query<LevelRow>(
          `UPDATE ${this.schema}.stock SET quantity = quantity + $2, updated_at = now()
            WHERE product_id = $1
            RETURNING ${LEVEL_COLUMNS}`,
          [line.product_id, line.quantity],
        );
        if (row) levels.push(toLevel(row));
      }
      return levels;
    });
  }

  /** Marks a reservation's order placed, so it never expires; false when it was not open. */
  async commit(reservationId: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      await this.lockReservation(tx, reservationId);
      const lines = await tx.query(
        `UPDATE ${this.schema}.reservations SET committed_at = now()
          WHERE reservation_id = $1 AND released_at IS NULL AND committed_at IS NULL
          RETURNING product_id`,
        [reservationId],
      );
      return lines.length > 0;
    });
  }

  /** Reservations neither committed nor released for longer than ageMs (by the database's clock), oldest first. */
  async openOlderThan(
    ageMs: number,
    limit: number,
  ): Promise<{ reservationId: string; ageSeconds: number }[]> {
    const rows = await this.db.query<{ reservation_id: string; age_seconds: number | string }>(
      `SELECT reservation_id, extract(epoch FROM now() - min(created_at)) AS age_seconds
         FROM ${this.schema}.reservations
        WHERE released_at IS NULL AND committed_at IS NULL
          AND created_at < now() - make_interval(secs => $1::double precision / 1000)
        GROUP BY reservation_id
        ORDER BY min(created_at)
        LIMIT $2`,
      [ageMs, limit],
    );
    return rows.map((r) => ({ reservationId: r.reservation_id, ageSeconds: Number(r.age_seconds) }));
  }

  /** Sets a product's level and threshold; undefined when there is no such product. */
  async set(
    productId: string,
    quantity: number,
    lowStockThreshold: number,
  ): Promise<StockChange | undefined> {
    return this.db.transaction(async (tx) => {
      const [before] = await tx.query<LevelRow>(
        `SELECT ${LEVEL_COLUMNS} FROM ${this.schema}.stock WHERE product_id = $1 FOR UPDATE`,
        [productId],
      );
      if (!before) return undefined;
      const [row] = await tx.query<LevelRow>(
        `UPDATE ${this.schema}.stock SET quantity = $2, low_stock_threshold = $3, updated_at = now()
          WHERE product_id = $1
          RETURNING ${LEVEL_COLUMNS}`,
        [productId, quantity, lowStockThreshold],
      );
      if (!row) return undefined;
      return {
        level: toLevel(row),
        previousQuantity: Number(before.quantity),
        previousThreshold: Number(before.low_stock_threshold),
      };
    });
  }

  /**
   * The supplier's delivery: every product at or below its reorder point (`reorderFactor` times
   * its threshold) goes back up to `factor` times its threshold (at least `minimum`). Returns the
   * new levels of the restocked products.
   */
  async restockLow(factor: number, minimum: number, reorderFactor = 1): Promise<StockLevel[]> {
    const rows = await this.db.query<LevelRow>(
      `UPDATE ${this.schema}.stock
          SET quantity = GREATEST(low_stock_threshold * $1, $2, quantity), updated_at = now()
        WHERE quantity <= low_stock_threshold * $3
        RETURNING ${LEVEL_COLUMNS}`,
      [factor, minimum, reorderFactor],
    );
    return rows.map(toLevel);
  }

  /** Serialises work on one reservation id (a retry racing the original) until the transaction ends. */
  private async lockReservation(tx: Queryable, reservationId: string): Promise<void> {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))', [this.schema, reservationId]);
  }
}
