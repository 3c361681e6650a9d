import '@glasshouse/kit/register';
import { hipstershop } from '@glasshouse/contracts';
import { runGrpcService } from '@glasshouse/kit';
import { shippingService } from './server.js';

void runGrpcService('shipping', ({ metrics }, server) => {
  server.add(hipstershop.ShippingServiceService, shippingService({ metrics }));
});
