import type { hipstershop } from '@glasshouse/contracts';
import type { Implementation, ServiceMetrics } from '@glasshouse/kit';
import { invalidArgument } from '@glasshouse/kit';
import type { RandomIndex } from './selection.js';
import { contextKeysProblem, mathRandomIndex, selectAds } from './selection.js';

type AdService = typeof hipstershop.AdServiceService;

export interface AdOptions {
  metrics: ServiceMetrics;
  random?: RandomIndex;
}

/** hipstershop.AdService: ads for the categories a page shows, or a random one. */
export function adService(options: AdOptions): Implementation<AdService> {
  const random = options.random ?? mathRandomIndex;
  const served = options.metrics.counter('ads_served_total', 'Ads served, by how they were chosen.', [
    'match',
  ]);
  for (const match of ['contextual', 'random']) served.inc({ match }, 0);
  return {
    getAds(request) {
      const problem = contextKeysProblem(request.contextKeys);
      if (problem) throw invalidArgument(problem);
      const { ads, match } = selectAds(request.contextKeys, random);
      served.inc({ match }, ads.length);
      return { ads };
    },
  };
}
