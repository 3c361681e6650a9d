import { hipstershop } from '@glasshouse/contracts';
import type { GrpcServer, ServiceRuntime } from '@glasshouse/kit';
import { shippingService } from './server.js';

export interface ShippingDependencies extends ServiceRuntime {
  readonly server: GrpcServer;
}

/** Serves the ShippingService. It reads no configuration of its own. */
export function createShippingService(deps: ShippingDependencies): void {
  deps.server.add(hipstershop.ShippingServiceService, shippingService({ metrics: deps.metrics }));
}
