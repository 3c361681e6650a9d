import '@glasshouse/kit/register';
import { runGrpcService } from '@glasshouse/kit';
import { createCurrencyService, readCurrencyConfig } from './index.js';

void runGrpcService('currency', (context, server) =>
  createCurrencyService(readCurrencyConfig(context.env), { ...context, server }),
);
