import '@glasshouse/kit/register';
import { runGrpcService } from '@glasshouse/kit';
import { createCheckoutService, readCheckoutConfig } from './index.js';

void runGrpcService('checkout', (context, server) => {
  createCheckoutService(readCheckoutConfig(context.env), { ...context, server });
});
