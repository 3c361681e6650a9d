import '@glasshouse/kit/register';
import { runGrpcService } from '@glasshouse/kit';
import { createRecommendationService, readRecommendationConfig } from './index.js';

void runGrpcService('recommendation', (context, server) => {
  createRecommendationService(readRecommendationConfig(context.env), { ...context, server });
});
