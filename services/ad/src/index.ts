import { hipstershop } from '@glasshouse/contracts';
import type { GrpcServer, ServiceRuntime } from '@glasshouse/kit';
import { adService } from './server.js';

export interface AdDependencies extends ServiceRuntime {
  readonly server: GrpcServer;
}

/** Serves the AdService. It reads no configuration of its own. */
export function createAdService(deps: AdDependencies): void {
  deps.server.add(hipstershop.AdServiceService, adService({ metrics: deps.metrics }));
}
