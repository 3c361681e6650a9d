import type { ServiceName, ServiceSpec } from '@glasshouse/kit/core';
import { SERVICES, addressVariable, adminAddressVariable } from '@glasshouse/kit/core';

/** Namespaces of the cluster: the shop, the monitoring charts, the telemetry pipeline. */
export const NAMESPACES = {
  shop: 'microservices-demo',
  monitoring: 'monitoring',
  observability: 'observability',
} as const;

/** The image the root Dockerfile builds; the container's args pick the service. */
export const SHOP_IMAGE = 'glasshouse/shop:dev';

/** Pinned official images for the stores and helpers the manifests run themselves. */
export const IMAGES = {
  postgres: 'postgres:15.13-bookworm',
  redis: 'redis:7.4.3-bookworm',
  k6: 'grafana/k6:1.1.0',
  flagd: 'ghcr.io/open-feature/flagd:v0.12.9',
  postgresExporter: 'quay.io/prometheuscommunity/postgres-exporter:v0.17.1',
  redisExporter: 'oliver006/redis_exporter:v1.67.0',
} as const;

/** The official images' unprivileged users (node's "node", postgres's and redis's own). */
export const USERS = { shop: 1000, postgres: 999, redis: 999, k6: 12345, flagd: 65532 } as const;

export const POSTGRES_PORT = 5432;
export const REDIS_PORT = 6379;
export const OTLP_HTTP_PORT = 4318;
export const COLLECTOR_HOST = `otel-collector.${NAMESPACES.observability}.svc`;
export const POSTGRES_USER = 'shop';
/** Stands in for the password in every committed Secret; up.sh swaps in a generated one. */
export const PASSWORD_PLACEHOLDER = 'placeholder-replaced-by-up-sh';

export interface Resources {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
}

const resources = (cpu: [string, string], memory: [string, string]): Resources => ({
  requests: { cpu: cpu[0], memory: memory[0] },
  limits: { cpu: cpu[1], memory: memory[1] },
});

/**
 * Seed 001's CPU figures where it gives them. Its 64/128 Mi memory suits Go services; a Node
 * service with the OpenTelemetry SDK runs near 250 MB resident, so memory is sized for that.
 */
const NODE_MEMORY: [string, string] = ['192Mi', '384Mi'];
const SERVICE_RESOURCES: Partial<Record<ServiceName, Resources>> = {
  frontend: resources(['100m', '200m'], NODE_MEMORY),
  checkout: resources(['100m', '200m'], NODE_MEMORY),
  cart: resources(['200m', '300m'], NODE_MEMORY),
};
const DEFAULT_RESOURCES = resources(['50m', '200m'], NODE_MEMORY);

export const STORE_RESOURCES = {
  redis: resources(['70m', '125m'], ['200Mi', '256Mi']),
  postgres: resources(['100m', '500m'], ['256Mi', '512Mi']),
  small: resources(['10m', '100m'], ['32Mi', '64Mi']),
  k6: resources(['100m', '500m'], ['128Mi', '256Mi']),
} as const;

/** A service of the table as the cluster runs it. */
export interface Workload {
  readonly spec: ServiceSpec;
  readonly name: ServiceName;
  /** Its own database, for services owning a Postgres schema. */
  readonly database: string | undefined;
  readonly resources: Resources;
  /** Ports the Service exposes: the main one (none for workers) and the admin one. */
  readonly ports: readonly { readonly name: string; readonly port: number }[];
}

/** Compose and Kubernetes name the catalog's database `catalog`; the others after their owner. */
function databaseOf(spec: ServiceSpec): string | undefined {
  if (spec.store !== 'postgres') return undefined;
  return spec.name === 'productcatalog' ? 'catalog' : spec.name;
}

function portsOf(spec: ServiceSpec): Workload['ports'] {
  if (spec.protocol === 'worker') return [{ name: 'admin', port: spec.adminPort }];
  if (spec.port === spec.adminPort) return [{ name: spec.protocol, port: spec.port }];
  return [
    { name: spec.protocol, port: spec.port },
    { name: 'admin', port: spec.adminPort },
  ];
}

/** The implemented services of the table, in the table's order. */
export function workloads(services: readonly ServiceSpec[] = SERVICES): Workload[] {
  return services
    .filter((spec) => spec.implemented)
    .map((spec) => ({
      spec,
      name: spec.name,
      database: databaseOf(spec),
      resources: SERVICE_RESOURCES[spec.name] ?? DEFAULT_RESOURCES,
      ports: portsOf(spec),
    }));
}

/** The databases one PostgreSQL holds, one per owning service. */
export function shopDatabases(list: readonly Workload[] = workloads()): string[] {
  return list.flatMap((w) => (w.database ? [w.database] : []));
}

/** `cart.microservices-demo.svc:7070`: where another service reaches this one. */
export function serviceAddress(spec: ServiceSpec): string {
  return `${spec.name}.${NAMESPACES.shop}.svc:${spec.port}`;
}

export function metricsPortName(w: Workload): string {
  return w.ports.length === 1 ? (w.ports[0]?.name ?? 'admin') : 'admin';
}

export { addressVariable, adminAddressVariable };
