import { NAMESPACES } from './shop.js';

/** Release names up.sh installs the charts under; the Services below follow from them. */
export const RELEASES = {
  monitoring: 'monitoring',
  loki: 'loki',
  tempo: 'tempo',
  jaeger: 'jaeger',
  collector: 'otel-collector',
  alloy: 'alloy',
} as const;

const svc = (name: string, namespace: string): string => `${name}.${namespace}.svc`;

/**
 * Compose hostnames (the shared contract's) and where the same thing lives in the cluster; a
 * `host:port` key wins over the bare host, for charts that split one compose service in several.
 */
export const CLUSTER_HOSTS: Readonly<Record<string, string>> = {
  prometheus: svc('monitoring-prometheus', NAMESPACES.monitoring),
  alertmanager: svc('monitoring-alertmanager', NAMESPACES.monitoring),
  grafana: svc('grafana', NAMESPACES.monitoring),
  'alert-webhook': svc('alert-webhook', NAMESPACES.monitoring),
  // The gateway serves both of Loki's modes (one binary in dev, read/write/backend in prod) on 3100.
  loki: svc('loki-gateway', NAMESPACES.observability),
  tempo: svc('tempo', NAMESPACES.observability),
  'jaeger:16686': svc('jaeger-query', NAMESPACES.observability),
  jaeger: svc('jaeger-collector', NAMESPACES.observability),
  'otel-collector': svc('otel-collector', NAMESPACES.observability),
  postgres: svc('postgres', NAMESPACES.shop),
  redis: svc('redis', NAMESPACES.shop),
};

/** `http://loki:3100` → `http://loki-gateway.observability.svc:3100`; unknown hosts stay as they are. */
export function inCluster(address: string, hosts: Readonly<Record<string, string>> = CLUSTER_HOSTS): string {
  return address.replace(
    /^([a-z]+:\/\/)?([a-z][a-z0-9-]*)(?=[:/]|$)(:\d+)?/,
    (whole, scheme: string | undefined, host: string, port: string | undefined) => {
      const target = (port && hosts[`${host}${port}`]) ?? hosts[host];
      return target ? `${scheme ?? ''}${target}${port ?? ''}` : whole;
    },
  );
}

/** Every string field named `url` (or `endpoint`) of a plain data tree, rewritten with inCluster. */
export function rewriteAddresses(
  value: unknown,
  hosts: Readonly<Record<string, string>> = CLUSTER_HOSTS,
): unknown {
  if (Array.isArray(value)) return value.map((item) => rewriteAddresses(item, hosts));
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        typeof item === 'string' && /^(url|endpoint)$/.test(key)
          ? inCluster(item, hosts)
          : rewriteAddresses(item, hosts),
      ]),
    );
  return value;
}
