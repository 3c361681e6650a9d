import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { IIoK8sApiNetworkingV1NetworkPolicyEgressRule } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyEgressRule';
import type { IIoK8sApiNetworkingV1NetworkPolicyIngressRule } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyIngressRule';
import type { IIoK8sApiNetworkingV1NetworkPolicyPeer } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer';
import { serviceSpec } from '@glasshouse/kit/core';
import { EXPORTER_PORTS } from './exporters.js';
import { labels, selector } from './labels.js';
import type { Workload } from './shop.js';
import { NAMESPACES, OTLP_HTTP_PORT, POSTGRES_PORT, REDIS_PORT } from './shop.js';

const NAME = 'app.kubernetes.io/name';
const inNamespace = (name: string): IIoK8sApiNetworkingV1NetworkPolicyPeer['namespaceSelector'] => ({
  matchLabels: { 'kubernetes.io/metadata.name': name },
});
const pods = (...names: string[]): IIoK8sApiNetworkingV1NetworkPolicyPeer => ({
  podSelector: { matchExpressions: [{ key: NAME, operator: 'In', values: [...names].sort() }] },
});
const tcp = (...ports: number[]) => ports.map((port) => ({ protocol: 'TCP' as const, port }));

/** Callers outside the table's call graph: k6's jobs shop, Traefik brings visitors, backups dump. */
export const EXTRA_CLIENTS = { frontend: ['k6'], postgres: ['postgres-backup'] } as const;

const policy = (
  name: string,
  podSelector: Record<string, string>,
  ingress: IIoK8sApiNetworkingV1NetworkPolicyIngressRule[],
  egress: IIoK8sApiNetworkingV1NetworkPolicyEgressRule[],
): NetworkPolicy =>
  new NetworkPolicy({
    metadata: { name, namespace: NAMESPACES.shop, labels: labels(name, 'network-policy') },
    spec: { podSelector: { matchLabels: podSelector }, policyTypes: ['Ingress', 'Egress'], ingress, egress },
  });

/** Prometheus, in `monitoring`, scrapes the admin port. */
const scraping = (port: number): IIoK8sApiNetworkingV1NetworkPolicyIngressRule => ({
  from: [{ namespaceSelector: inNamespace(NAMESPACES.monitoring) }],
  ports: tcp(port),
});

/** Ingress from callers and Prometheus; egress to callees, stores and the collector. */
function servicePolicy(w: Workload, all: readonly Workload[]): NetworkPolicy {
  const { spec } = w;
  const callers = all.filter((other) => other.spec.calls.includes(spec.name)).map((other) => other.name);
  const ingress: IIoK8sApiNetworkingV1NetworkPolicyIngressRule[] = [];
  const extra = spec.name === 'frontend' ? EXTRA_CLIENTS.frontend : [];
  if (callers.length + extra.length > 0)
    ingress.push({ from: [pods(...callers, ...extra)], ports: tcp(spec.port) });
  if (spec.name === 'frontend')
    // Traefik, k3d's ingress controller, runs in kube-system.
    ingress.push({ from: [{ namespaceSelector: inNamespace('kube-system') }], ports: tcp(spec.port) });
  ingress.push(scraping(spec.adminPort));
  const egress: IIoK8sApiNetworkingV1NetworkPolicyEgressRule[] = spec.calls.map((target) => ({
    to: [pods(target)],
    ports: tcp(serviceSpec(target).port),
  }));
  if (spec.store === 'postgres') egress.push({ to: [pods('postgres')], ports: tcp(POSTGRES_PORT) });
  if (spec.store === 'redis') egress.push({ to: [pods('redis')], ports: tcp(REDIS_PORT) });
  egress.push({
    to: [{ namespaceSelector: inNamespace(NAMESPACES.observability) }],
    ports: tcp(OTLP_HTTP_PORT),
  });
  return policy(w.name, selector(w.name), ingress, egress);
}

/** Default deny in the shop's namespace, DNS for all, then exactly the call graph's edges. */
export function networkPolicies(all: readonly Workload[]): NetworkPolicy[] {
  const owners = all.filter((w) => w.spec.store === 'postgres').map((w) => w.name);
  const cacheUsers = all.filter((w) => w.spec.store === 'redis').map((w) => w.name);
  const denyAll = new NetworkPolicy({
    metadata: {
      name: 'default-deny',
      namespace: NAMESPACES.shop,
      labels: labels('default-deny', 'network-policy'),
    },
    spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
  });
  const dns = new NetworkPolicy({
    metadata: {
      name: 'allow-dns',
      namespace: NAMESPACES.shop,
      labels: labels('allow-dns', 'network-policy'),
    },
    spec: {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [
        {
          to: [
            {
              namespaceSelector: inNamespace('kube-system'),
              podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
            },
          ],
          ports: [
            { protocol: 'UDP', port: 53 },
            { protocol: 'TCP', port: 53 },
          ],
        },
      ],
    },
  });
  const stores = [
    policy(
      'postgres',
      selector('postgres'),
      [
        { from: [pods(...owners, ...EXTRA_CLIENTS.postgres)], ports: tcp(POSTGRES_PORT) },
        // Grafana's order and inventory data sources.
        {
          from: [
            {
              namespaceSelector: inNamespace(NAMESPACES.monitoring),
              podSelector: { matchLabels: { [NAME]: 'grafana' } },
            },
          ],
          ports: tcp(POSTGRES_PORT),
        },
        scraping(EXPORTER_PORTS.postgres),
      ],
      [],
    ),
    policy(
      'redis',
      selector('redis'),
      [{ from: [pods(...cacheUsers)], ports: tcp(REDIS_PORT) }, scraping(EXPORTER_PORTS.redis)],
      [],
    ),
  ];
  // Redis replicas and sentinels (the prod overlay) talk among themselves.
  stores[1]?.spec?.ingress?.push({ from: [pods('redis')], ports: tcp(REDIS_PORT, 26379) });
  stores[1]?.spec?.egress?.push({ to: [pods('redis')], ports: tcp(REDIS_PORT, 26379) });
  const clients = [
    policy('k6', selector('k6'), [], [{ to: [pods('frontend')], ports: tcp(serviceSpec('frontend').port) }]),
    policy(
      'postgres-backup',
      selector('postgres-backup'),
      [],
      [{ to: [pods('postgres')], ports: tcp(POSTGRES_PORT) }],
    ),
  ];
  return [denyAll, dns, ...all.map((w) => servicePolicy(w, all)), ...stores, ...clients];
}
