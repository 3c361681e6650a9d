import '@glasshouse/kit/register';
import { hipstershop } from '@glasshouse/contracts';
import { runGrpcService } from '@glasshouse/kit';
import { adService } from './server.js';

void runGrpcService('ad', ({ metrics }, server) => {
  server.add(hipstershop.AdServiceService, adService({ metrics }));
});
