import type { MethodDefinition, PackageDefinition } from '@grpc/proto-loader';
import * as contracts from '@glasshouse/contracts';
import type { ServiceDefinition, ServiceName } from '@glasshouse/kit';
import { SERVICES } from '@glasshouse/kit';
import { fullNameOf } from './messages.js';

type AnyMethod = ServiceDefinition[string];

/** One unary method of the contracts, with what a property needs to call it. */
export interface ContractMethod {
  /** `hipstershop.CartService/AddItem`. */
  readonly name: string;
  /** `/hipstershop.CartService/AddItem`. */
  readonly path: string;
  /** The deployable of the service table that serves it. */
  readonly server: ServiceName;
  /** Full name of the request message (`hipstershop.AddItemRequest`). */
  readonly requestType: string;
  /** proto-loader's serializer: takes objects with proto field names, 64-bit integers as text. */
  readonly serialize: (value: object) => Buffer;
  /** ts-proto's generated method, as the shop's own clients call it. */
  readonly generated: AnyMethod;
}

const isMethod = (value: unknown): value is AnyMethod =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as Partial<AnyMethod>).path === 'string' &&
  typeof (value as Partial<AnyMethod>).requestSerialize === 'function';

/** Every ts-proto service definition exported by @glasshouse/contracts, by method path. */
function generatedMethods(): Map<string, AnyMethod> {
  const methods = new Map<string, AnyMethod>();
  for (const module of Object.values(contracts)) {
    if (typeof module !== 'object' || module === null) continue;
    for (const exported of Object.values(module as Record<string, unknown>)) {
      if (typeof exported !== 'object' || exported === null) continue;
      for (const method of Object.values(exported as Record<string, unknown>))
        if (isMethod(method)) methods.set(method.path, method);
    }
  }
  return methods;
}

/**
 * The deployable serving a proto service: `glasshouse.<name>.v1.*` is `<name>`'s, and
 * `hipstershop.<Name>Service` is `<name>`'s (Online Boutique names a service after its API).
 */
export function serverOf(protoService: string): ServiceName {
  const glasshouse = /^glasshouse\.([a-z]+)\.v\d+\./.exec(protoService)?.[1];
  const hipstershop = /^hipstershop\.(\w+)Service$/.exec(protoService)?.[1]?.toLowerCase();
  const name = glasshouse ?? hipstershop;
  const spec = SERVICES.find((s) => s.name === name);
  if (!spec) throw new Error(`no deployable in the service table serves ${protoService}`);
  return spec.name;
}

/**
 * Every unary method of every service in the protos (proto-loader's view) joined with its
 * ts-proto definition. Throws when the two disagree, so a method added to a .proto but not
 * generated (or the reverse) fails the property spec instead of going untested.
 */
export function contractMethods(
  definition: PackageDefinition = contracts.protoPackageDefinition(),
): ContractMethod[] {
  const generated = generatedMethods();
  const methods: ContractMethod[] = [];
  for (const [service, value] of Object.entries(definition)) {
    if ('format' in value) continue; // a message or an enum
    for (const [rpc, method] of Object.entries(value as Record<string, MethodDefinition<object, object>>)) {
      const tsProto = generated.get(method.path);
      if (!tsProto) throw new Error(`${method.path} is in the protos but has no generated ts-proto method`);
      generated.delete(method.path);
      methods.push({
        name: `${service}/${rpc}`,
        path: method.path,
        server: serverOf(service),
        requestType: fullNameOf(definition, method.requestType),
        serialize: method.requestSerialize,
        generated: tsProto,
      });
    }
  }
  const unknown = [...generated.keys()];
  if (unknown.length > 0) throw new Error(`generated methods missing from the protos: ${unknown.join(', ')}`);
  return methods;
}
