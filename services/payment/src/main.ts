import '@glasshouse/kit/register';
import { hipstershop, payment } from '@glasshouse/contracts';
import { runGrpcService } from '@glasshouse/kit';
import { ChargeLedger } from './ledger.js';
import { paymentMetrics } from './metrics.js';
import { chargeReversalService, paymentService } from './server.js';

void runGrpcService('payment', ({ env, metrics }, server) => {
  const ledger = new ChargeLedger(env.int('PAYMENT_LEDGER_CAPACITY', 100_000, { min: 1 }));
  const options = { ledger, metrics: paymentMetrics(metrics) };
  server.add(hipstershop.PaymentServiceService, paymentService(options));
  server.add(payment.ChargeReversalServiceService, chargeReversalService(options));
});
