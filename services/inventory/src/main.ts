import '@glasshouse/kit/register';
import { openServiceDatabase, runGrpcService } from '@glasshouse/kit';
import {
  INVENTORY_SCHEMA,
  createInventoryService,
  inventoryMigrations,
  readInventoryConfig,
} from './index.js';

void runGrpcService('inventory', async (context, server) => {
  const config = readInventoryConfig(context.env);
  const database = await openServiceDatabase(context, INVENTORY_SCHEMA, inventoryMigrations);
  context.logger.info({ 'db.kind': database.db.kind, applied: database.applied }, 'inventory database ready');
  await createInventoryService(config, { ...context, server, database });
});
