import '@glasshouse/kit/register';
import { join } from 'node:path';
import { inventory } from '@glasshouse/contracts';
import { migrate, openDatabase, runGrpcService } from '@glasshouse/kit';
import { StockGauges } from './gauges.js';
import { inventoryMigrations } from './migrations.js';
import { StockRepository } from './repository.js';
import { Restocker } from './restock.js';
import { inventoryService } from './server.js';

const SCHEMA = 'inventory';

void runGrpcService('inventory', async ({ env, logger, metrics, lifecycle, addReadinessCheck }, server) => {
  const refreshMs = env.int('INVENTORY_GAUGE_REFRESH_MS', 15_000, { min: 100 });
  const db = await openDatabase({
    url: env.url('DATABASE_URL')?.toString(),
    pgliteDataDir: join(env.string('PGLITE_DATA_DIR', 'var/pgdata'), 'inventory'),
    metrics,
    namespace: SCHEMA,
  });
  lifecycle.onShutdown('database', () => db.close());
  const applied = await migrate(db, SCHEMA, inventoryMigrations(SCHEMA));
  logger.info({ 'db.kind': db.kind, applied }, 'inventory database ready');
  addReadinessCheck({ name: 'database', check: () => db.ping() });
  const repository = new StockRepository(db, SCHEMA);
  const gauges = new StockGauges({ metrics, logger, load: () => repository.levels() });
  await gauges.refresh();
  gauges.start(refreshMs);
  // Registered after the database, so it stops first.
  lifecycle.onShutdown('stock gauges', () => gauges.stop());
  const restocker = new Restocker({ repository, gauges, metrics, logger, factor: 5, minimum: 20 });
  restocker.start(env.int('INVENTORY_RESTOCK_INTERVAL_MS', 180_000, { min: 0 }));
  lifecycle.onShutdown('restocking', () => restocker.stop());
  server.add(inventory.InventoryServiceService, inventoryService({ repository, gauges }));
});
