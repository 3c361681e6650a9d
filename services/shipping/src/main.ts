import '@glasshouse/kit/register';
import { runGrpcService } from '@glasshouse/kit';
import { createShippingService } from './index.js';

void runGrpcService('shipping', (context, server) => createShippingService({ ...context, server }));
