import { hipstershop, payment } from '@glasshouse/contracts';
import type { Database, EnvReader, GrpcServer, ServiceRuntime } from '@glasshouse/kit';
import { delaying, failing, unavailableFault, withFaults } from '@glasshouse/kit';
import { ChargeLedger } from './ledger.js';
import type { PaymentLedger } from './ledger.js';
import { paymentMetrics } from './metrics.js';
import { PaymentRepository } from './repository.js';
import { chargeReversalService, paymentService } from './server.js';

export type { ChargeLedger, PaymentLedger } from './ledger.js';
export { paymentMigrations } from './migrations.js';
export { PaymentRepository } from './repository.js';

/** The schema the payment service owns. */
export const PAYMENT_SCHEMA = 'payment';

export interface PaymentConfig {
  /** Charges an in-memory ledger remembers (no database); the oldest are forgotten past it. */
  readonly ledgerCapacity: number;
}

export function readPaymentConfig(env: EnvReader): PaymentConfig {
  return Object.freeze({ ledgerCapacity: env.int('PAYMENT_LEDGER_CAPACITY', 100_000, { min: 1 }) });
}

export interface PaymentDependencies extends ServiceRuntime {
  readonly server: GrpcServer;
  /** The clock card expiry is judged by. */
  readonly now?: () => Date;
  /** The payment service's database, migrated: the durable ledger. Without it, charges live in memory. */
  readonly database?: { readonly db: Database; readonly schema: string };
}

/** Serves the PaymentService and the ChargeReversalService over the ledger of charges, which it returns. */
export function createPaymentService(
  config: PaymentConfig,
  deps: PaymentDependencies & { readonly database: { readonly db: Database; readonly schema: string } },
): { readonly ledger: PaymentRepository };
export function createPaymentService(
  config: PaymentConfig,
  deps: PaymentDependencies,
): { readonly ledger: ChargeLedger };
export function createPaymentService(
  config: PaymentConfig,
  deps: PaymentDependencies,
): { readonly ledger: PaymentLedger } {
  const ledger = deps.database
    ? new PaymentRepository(deps.database.db, deps.database.schema)
    : new ChargeLedger(config.ledgerCapacity);
  const options = { ledger, metrics: paymentMetrics(deps.metrics), ...(deps.now ? { now: deps.now } : {}) };
  deps.server.add(
    hipstershop.PaymentServiceService,
    withFaults(paymentService(options), deps.flags, (method, flags) => {
      if (method !== 'charge') return undefined;
      const refuse = failing(flags, 'payment-failure', () =>
        unavailableFault('the card processor is unavailable'),
      );
      const hang = delaying(flags, 'payment-unreachable', 5000);
      return () => refuse() ?? hang();
    }),
  );
  deps.server.add(payment.ChargeReversalServiceService, chargeReversalService(options));
  return { ledger };
}
