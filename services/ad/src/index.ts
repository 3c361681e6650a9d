import { hipstershop } from '@glasshouse/contracts';
import type { GrpcServer, ServiceRuntime } from '@glasshouse/kit';
import { blocking, withFaults } from '@glasshouse/kit';
import { adService } from './server.js';

export interface AdDependencies extends ServiceRuntime {
  readonly server: GrpcServer;
}

/** Serves the AdService. It reads no configuration of its own. */
export function createAdService(deps: AdDependencies): void {
  deps.server.add(
    hipstershop.AdServiceService,
    withFaults(adService({ metrics: deps.metrics }), deps.flags, (_method, flags) =>
      blocking(flags, 'ad-cpu-burn', 300),
    ),
  );
}
