import { orders } from '@glasshouse/contracts';
import type { Database, GrpcServer, ServiceRuntime } from '@glasshouse/kit';
import { OrderRepository } from './repository.js';
import { orderService } from './server.js';

export { orderMigrations } from './migrations.js';

/** The schema the order service owns. */
export const ORDERS_SCHEMA = 'orders';

export interface OrdersDependencies extends ServiceRuntime {
  readonly server: GrpcServer;
  /** The order service's database, migrated, and the schema its tables are in. */
  readonly database: { readonly db: Database; readonly schema: string };
}

/** Serves the OrderService from the order service's database. It reads no configuration of its own. */
export function createOrdersService(deps: OrdersDependencies): void {
  const repository = new OrderRepository(deps.database.db, deps.database.schema);
  deps.server.add(orders.OrderServiceService, orderService({ repository, metrics: deps.metrics }));
}
