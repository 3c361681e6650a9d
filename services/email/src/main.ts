import '@glasshouse/kit/register';
import { runGrpcService } from '@glasshouse/kit';
import { createEmailService, readEmailConfig } from './index.js';

void runGrpcService('email', (context, server) => {
  createEmailService(readEmailConfig(context.env), { ...context, server });
});
