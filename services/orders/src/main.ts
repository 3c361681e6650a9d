import '@glasshouse/kit/register';
import { join } from 'node:path';
import { orders } from '@glasshouse/contracts';
import { migrate, openDatabase, runGrpcService } from '@glasshouse/kit';
import { orderMigrations } from './migrations.js';
import { OrderRepository } from './repository.js';
import { orderService } from './server.js';

const SCHEMA = 'orders';

void runGrpcService('orders', async ({ env, logger, metrics, lifecycle, addReadinessCheck }, server) => {
  const db = await openDatabase({
    url: env.url('DATABASE_URL')?.toString(),
    pgliteDataDir: join(env.string('PGLITE_DATA_DIR', 'var/pgdata'), 'orders'),
    metrics,
    namespace: SCHEMA,
  });
  lifecycle.onShutdown('database', () => db.close());
  const applied = await migrate(db, SCHEMA, orderMigrations(SCHEMA));
  logger.info({ 'db.kind': db.kind, applied }, 'orders database ready');
  addReadinessCheck({ name: 'database', check: () => db.ping() });
  server.add(
    orders.OrderServiceService,
    orderService({ repository: new OrderRepository(db, SCHEMA), metrics }),
  );
});
