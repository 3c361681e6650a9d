import '@glasshouse/kit/register';
import { openServiceDatabase, runGrpcService } from '@glasshouse/kit';
import { ORDERS_SCHEMA, createOrdersService, orderMigrations } from './index.js';

void runGrpcService('orders', async (context, server) => {
  const database = await openServiceDatabase(context, ORDERS_SCHEMA, orderMigrations);
  context.logger.info({ 'db.kind': database.db.kind, applied: database.applied }, 'orders database ready');
  createOrdersService({ ...context, server, database });
});
