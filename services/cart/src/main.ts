import '@glasshouse/kit/register';
import { runGrpcService } from '@glasshouse/kit';
import { createCartService, readCartConfig } from './index.js';

void runGrpcService('cart', (context, server) => {
  createCartService(readCartConfig(context.env), { ...context, server });
});
