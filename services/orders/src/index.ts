import { orders } from '@glasshouse/contracts';
import type { Database, GrpcServer, ServiceRuntime } from '@glasshouse/kit';
import { failing, internalFault, withFaults } from '@glasshouse/kit';
import { RefundRepository } from './refunds.js';
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
  const refunds = new RefundRepository(deps.database.db, deps.database.schema, repository);
  const { db } = deps.database;
  deps.server.add(
    orders.OrderServiceService,
    withFaults(orderService({ repository, refunds, metrics: deps.metrics }), deps.flags, (method, flags) => {
      if (method !== 'createOrder') return undefined;
      const fail = failing(flags, 'orders-fail-after-charge', () =>
        internalFault('the order could not be saved'),
      );
      return () => {
        fail();
        // A real slow statement, so the database's own latency shows it, not only the call's.
        if (!flags.isOn('orders-db-slow')) return undefined;
        const seconds = flags.number('orders-db-slow', 'delay-ms', 800) / 1000;
        return db.query('SELECT pg_sleep($1)', [seconds]).then(() => undefined);
      };
    }),
  );
}
