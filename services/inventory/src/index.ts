import { inventory } from '@glasshouse/contracts';
import type { Database, EnvReader, GrpcServer, ServiceRuntime } from '@glasshouse/kit';
import { ReservationExpiry } from './expiry.js';
import { StockGauges } from './gauges.js';
import { DrainableStockRepository } from './faults.js';
import { StockRepository } from './repository.js';
import { Restocker } from './restock.js';
import { StockReturns } from './returns.js';
import { inventoryService } from './server.js';

export { inventoryMigrations } from './migrations.js';

/** The schema the inventory owns. */
export const INVENTORY_SCHEMA = 'inventory';

export interface InventoryConfig {
  /** How often the stock gauges are read again in full. */
  readonly gaugeRefreshMs: number;
  /** How often products at their reorder point are restocked; 0 turns deliveries off. */
  readonly restockIntervalMs: number;
  /** Age past which a reservation neither committed nor released goes back to stock. */
  readonly reservationTtlMs: number;
  /** How often expired reservations are looked for. */
  readonly reservationExpiryIntervalMs: number;
}

export function readInventoryConfig(env: EnvReader): InventoryConfig {
  return Object.freeze({
    gaugeRefreshMs: env.int('INVENTORY_GAUGE_REFRESH_MS', 15_000, { min: 100 }),
    restockIntervalMs: env.int('INVENTORY_RESTOCK_INTERVAL_MS', 5_000, { min: 0 }),
    // A checkout gives up within its deadlines (seconds); ten minutes leaves no doubt it died.
    reservationTtlMs: env.int('INVENTORY_RESERVATION_TTL_MS', 600_000, { min: 1_000 }),
    reservationExpiryIntervalMs: env.int('INVENTORY_RESERVATION_EXPIRY_INTERVAL_MS', 30_000, { min: 100 }),
  });
}

export interface InventoryDependencies extends ServiceRuntime {
  readonly server: GrpcServer;
  /** The inventory's database, migrated, and the schema its tables are in. */
  readonly database: { readonly db: Database; readonly schema: string };
}

/** Serves the InventoryService, keeps its stock gauges current and restocks low products. */
export async function createInventoryService(
  config: InventoryConfig,
  deps: InventoryDependencies,
): Promise<void> {
  const { metrics, logger } = deps;
  const repository = deps.flags
    ? new DrainableStockRepository(deps.database.db, deps.database.schema, deps.flags)
    : new StockRepository(deps.database.db, deps.database.schema);
  const gauges = new StockGauges({ metrics, logger, load: () => repository.levels() });
  // Reordering at three times the threshold, every 5 s, keeps the default traffic from ever
  // reaching it, so LowStock and OutOfStock stay quiet in steady state (issue 18).
  const restocker = new Restocker({
    repository,
    gauges,
    metrics,
    logger,
    factor: 5,
    minimum: 20,
    reorderFactor: 3,
  });
  if (config.restockIntervalMs > 0) await restocker.restock();
  await gauges.refresh();
  gauges.start(config.gaugeRefreshMs);
  // Registered after the database, so it stops first.
  deps.onShutdown('stock gauges', () => gauges.stop());
  restocker.start(config.restockIntervalMs);
  deps.onShutdown('restocking', () => restocker.stop());
  const expiry = new ReservationExpiry({
    repository,
    gauges,
    metrics,
    logger,
    ttlMs: config.reservationTtlMs,
  });
  expiry.start(config.reservationExpiryIntervalMs);
  deps.onShutdown('reservation expiry', () => expiry.stop());
  const returns = new StockReturns(deps.database.db, deps.database.schema);
  deps.server.add(
    inventory.InventoryServiceService,
    inventoryService({ repository, returns, gauges, metrics }),
  );
}
