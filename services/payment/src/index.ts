import { hipstershop, payment } from '@glasshouse/contracts';
import type { EnvReader, GrpcServer, ServiceRuntime } from '@glasshouse/kit';
import { ChargeLedger } from './ledger.js';
import { paymentMetrics } from './metrics.js';
import { chargeReversalService, paymentService } from './server.js';

export type { ChargeLedger } from './ledger.js';

export interface PaymentConfig {
  /** Charges remembered for idempotent retries and voids; the oldest are forgotten past it. */
  readonly ledgerCapacity: number;
}

export function readPaymentConfig(env: EnvReader): PaymentConfig {
  return Object.freeze({ ledgerCapacity: env.int('PAYMENT_LEDGER_CAPACITY', 100_000, { min: 1 }) });
}

export interface PaymentDependencies extends ServiceRuntime {
  readonly server: GrpcServer;
  /** The clock card expiry is judged by. */
  readonly now?: () => Date;
}

/** Serves the PaymentService and the ChargeReversalService; returns the ledger of charges. */
export function createPaymentService(
  config: PaymentConfig,
  deps: PaymentDependencies,
): { readonly ledger: ChargeLedger } {
  const ledger = new ChargeLedger(config.ledgerCapacity);
  const options = { ledger, metrics: paymentMetrics(deps.metrics), ...(deps.now ? { now: deps.now } : {}) };
  deps.server.add(hipstershop.PaymentServiceService, paymentService(options));
  deps.server.add(payment.ChargeReversalServiceService, chargeReversalService(options));
  return { ledger };
}
