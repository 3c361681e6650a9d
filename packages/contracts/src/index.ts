import type { PackageDefinition } from '@grpc/proto-loader';
import { loadSync } from '@grpc/proto-loader';
import { join } from 'node:path';

export * as hipstershop from './gen/hipstershop/hipstershop.js';
export * as orders from './gen/glasshouse/orders/v1/orders.js';
export * as inventory from './gen/glasshouse/inventory/v1/inventory.js';
export * as auth from './gen/glasshouse/auth/v1/auth.js';
export * as payment from './gen/glasshouse/payment/v1/payment.js';
export * as checkout from './gen/glasshouse/checkout/v1/refunds.js';

/** The folder holding the .proto sources (the repository's proto/). */
export const PROTO_ROOT = join(__dirname, '..', '..', '..', 'proto');

/** Every .proto file of the system, relative to PROTO_ROOT. */
export const PROTO_FILES = [
  'hipstershop/hipstershop.proto',
  'glasshouse/orders/v1/orders.proto',
  'glasshouse/inventory/v1/inventory.proto',
  'glasshouse/auth/v1/auth.proto',
  'glasshouse/payment/v1/payment.proto',
  'glasshouse/checkout/v1/refunds.proto',
] as const;

let definition: PackageDefinition | undefined;

/** The protos as a grpc-js package definition, for server reflection. Loaded once, on first use. */
export function protoPackageDefinition(): PackageDefinition {
  definition ??= loadSync([...PROTO_FILES], { includeDirs: [PROTO_ROOT], keepCase: true, longs: String });
  return definition;
}
