import '@glasshouse/kit/register';
import { runGrpcService } from '@glasshouse/kit';
import { createAdService } from './index.js';

void runGrpcService('ad', (context, server) => createAdService({ ...context, server }));
