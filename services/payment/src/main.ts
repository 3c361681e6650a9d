import '@glasshouse/kit/register';
import { openServiceDatabase, runGrpcService } from '@glasshouse/kit';
import { PAYMENT_SCHEMA, createPaymentService, paymentMigrations, readPaymentConfig } from './index.js';

void runGrpcService('payment', async (context, server) => {
  const database = await openServiceDatabase(context, PAYMENT_SCHEMA, paymentMigrations);
  context.logger.info({ 'db.kind': database.db.kind, applied: database.applied }, 'payment database ready');
  createPaymentService(readPaymentConfig(context.env), { ...context, server, database });
});
