/**
 * The one table of Glasshouse's deployables: names, ports and who calls whom. The runner,
 * the generated Prometheus configuration, the deployment assets and the tests all read it.
 */

export type ServiceName =
  | 'frontend'
  | 'productcatalog'
  | 'currency'
  | 'cart'
  | 'recommendation'
  | 'ad'
  | 'shipping'
  | 'payment'
  | 'email'
  | 'checkout'
  | 'orders'
  | 'inventory'
  | 'auth'
  | 'loadgen';

export type ServiceStore = 'postgres' | 'redis' | 'none';

export interface ServiceSpec {
  readonly name: ServiceName;
  /** `http` for the frontend, `grpc` for the API services, `worker` for clients only. */
  readonly protocol: 'http' | 'grpc' | 'worker';
  /** The service's main port (HTTP pages or gRPC). */
  readonly port: number;
  /** The HTTP port serving /metrics, /healthz and /readyz (the main port for HTTP services). */
  readonly adminPort: number;
  readonly store: ServiceStore;
  /** Services this one calls; the runner starts them first. */
  readonly calls: readonly ServiceName[];
  /** Whether the service exists yet; the runner starts only implemented ones. */
  readonly implemented: boolean;
  readonly summary: string;
}

const service = (spec: ServiceSpec): ServiceSpec =>
  Object.freeze({ ...spec, calls: Object.freeze([...spec.calls]) });

export const SERVICES: readonly ServiceSpec[] = Object.freeze([
  service({
    name: 'productcatalog',
    protocol: 'grpc',
    port: 3550,
    adminPort: 13550,
    store: 'postgres',
    calls: [],
    implemented: true,
    summary: 'products, search',
  }),
  service({
    name: 'currency',
    protocol: 'grpc',
    port: 7000,
    adminPort: 17000,
    store: 'none',
    calls: [],
    implemented: true,
    summary: 'EUR-based rates, exact conversion',
  }),
  service({
    name: 'cart',
    protocol: 'grpc',
    port: 7070,
    adminPort: 17070,
    store: 'redis',
    calls: [],
    implemented: true,
    summary: 'shopping carts',
  }),
  service({
    name: 'recommendation',
    protocol: 'grpc',
    port: 50054,
    adminPort: 60054,
    store: 'none',
    calls: ['productcatalog'],
    implemented: true,
    summary: 'products you may like',
  }),
  service({
    name: 'ad',
    protocol: 'grpc',
    port: 9555,
    adminPort: 19555,
    store: 'none',
    calls: [],
    implemented: true,
    summary: 'contextual ads',
  }),
  service({
    name: 'shipping',
    protocol: 'grpc',
    port: 50052,
    adminPort: 60052,
    store: 'none',
    calls: [],
    implemented: true,
    summary: 'quotes and tracking ids',
  }),
  service({
    name: 'payment',
    protocol: 'grpc',
    port: 50051,
    adminPort: 60051,
    store: 'postgres',
    calls: [],
    implemented: true,
    summary: 'card charges',
  }),
  service({
    name: 'email',
    protocol: 'grpc',
    port: 50053,
    adminPort: 60053,
    store: 'none',
    calls: [],
    implemented: true,
    summary: 'order confirmations',
  }),
  service({
    name: 'orders',
    protocol: 'grpc',
    port: 50055,
    adminPort: 60055,
    store: 'postgres',
    calls: [],
    implemented: true,
    summary: 'order persistence',
  }),
  service({
    name: 'inventory',
    protocol: 'grpc',
    port: 50056,
    adminPort: 60056,
    store: 'postgres',
    calls: [],
    implemented: true,
    summary: 'stock and reservations',
  }),
  service({
    name: 'auth',
    protocol: 'grpc',
    port: 50057,
    adminPort: 60057,
    store: 'postgres',
    calls: [],
    implemented: true,
    summary: 'accounts and tokens',
  }),
  service({
    name: 'checkout',
    protocol: 'grpc',
    port: 5050,
    adminPort: 15050,
    store: 'none',
    calls: ['productcatalog', 'cart', 'currency', 'shipping', 'payment', 'email', 'orders', 'inventory'],
    implemented: true,
    summary: 'places orders',
  }),
  service({
    name: 'frontend',
    protocol: 'http',
    port: 8080,
    adminPort: 8080,
    store: 'none',
    calls: [
      'productcatalog',
      'currency',
      'cart',
      'recommendation',
      'ad',
      'shipping',
      'checkout',
      'orders',
      'auth',
    ],
    implemented: true,
    summary: 'the shop',
  }),
  service({
    name: 'loadgen',
    protocol: 'worker',
    port: 0,
    adminPort: 18089,
    store: 'none',
    calls: ['frontend'],
    implemented: true,
    summary: 'simulated shoppers',
  }),
]);

export function serviceSpec(name: ServiceName): ServiceSpec {
  const spec = SERVICES.find((s) => s.name === name);
  if (!spec) throw new Error(`unknown service ${name}`);
  return spec;
}

/** `PRODUCTCATALOG_ADDR`: the variable that overrides where a service listens and is reached. */
export function addressVariable(name: ServiceName): string {
  return `${name.toUpperCase()}_ADDR`;
}

/** `PRODUCTCATALOG_ADMIN_ADDR`: the variable that overrides the admin (metrics, health) address. */
export function adminAddressVariable(name: ServiceName): string {
  return `${name.toUpperCase()}_ADMIN_ADDR`;
}

/** Services in an order where each one comes after everything it calls. */
export function startOrder(services: readonly ServiceSpec[] = SERVICES): ServiceSpec[] {
  const byName = new Map(services.map((s) => [s.name, s]));
  const ordered: ServiceSpec[] = [];
  const visiting = new Set<ServiceName>();
  const visit = (spec: ServiceSpec): void => {
    if (ordered.includes(spec)) return;
    if (visiting.has(spec.name)) throw new Error(`dependency cycle through ${spec.name}`);
    visiting.add(spec.name);
    for (const dep of spec.calls) {
      const target = byName.get(dep);
      if (target) visit(target);
    }
    visiting.delete(spec.name);
    ordered.push(spec);
  };
  services.forEach(visit);
  return ordered;
}
