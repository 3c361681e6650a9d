import { hipstershop } from '@glasshouse/contracts';
import type { GrpcServer, ServiceRuntime } from '@glasshouse/kit';
import { burning } from '@glasshouse/kit';
import { adService } from './server.js';

export interface AdDependencies extends ServiceRuntime {
  readonly server: GrpcServer;
}

/** Serves the AdService. It reads no configuration of its own. */
export function createAdService(deps: AdDependencies): void {
  deps.server.add(hipstershop.AdServiceService, adService({ metrics: deps.metrics }));
  if (deps.flags) deps.onShutdown('cpu burn', burning(deps.flags, 'ad-cpu-burn', 300));
}
