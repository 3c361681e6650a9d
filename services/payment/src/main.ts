import '@glasshouse/kit/register';
import { runGrpcService } from '@glasshouse/kit';
import { createPaymentService, readPaymentConfig } from './index.js';

void runGrpcService('payment', (context, server) => {
  createPaymentService(readPaymentConfig(context.env), { ...context, server });
});
