import { KUBERNETES_DIR } from './base.js';
import type { ComponentName } from './components.js';
import { COMPONENTS, inlinePatch } from './components.js';
import type { Files } from './output.js';
import { kustomization, yamlDocuments } from './output.js';
import {
  postgresCluster,
  postgresClusterPolicy,
  redisSentinelPatch,
  redisSentinelServices,
} from './production.js';
import { scaled } from './scaling.js';
import { environmentFile } from './pipeline-values.js';
import { NAMESPACES, shopDatabases, workloads } from './shop.js';
import { SHOP_ENVIRONMENT } from './workloads.js';

export const OVERLAYS = ['dev', 'prod'] as const;
export type OverlayName = (typeof OVERLAYS)[number];

/** Seed 001's production recommendation: three or more of these. */
export const PROD_REPLICAS = { frontend: 3, checkout: 3, cart: 3 } as const;
export const TLS_SECRET = 'glasshouse-tls';
/** Prod's two Grafana replicas keep their state in this database of the same cluster. */
export const GRAFANA_DATABASE = 'grafana';

export const OVERLAY_COMPONENTS: Record<OverlayName, readonly ComponentName[]> = {
  // One replica of everything: no autoscalers or budgets; the load generator and k6 both shop.
  dev: ['network-policies', 'monitoring', 'k6', 'flagd', 'ingress', 'backup'],
  prod: COMPONENTS,
};

/** Settings of the compose stack's env file (deploy/env/<overlay>.env) the shop's containers read too. */
const SHARED_SETTINGS = ['LOG_LEVEL', 'OTEL_TRACES_SAMPLER', 'OTEL_TRACES_SAMPLER_ARG'] as const;

const environment = (root: string, name: OverlayName, extra: Record<string, string> = {}) => {
  const env = environmentFile(root, name);
  const shared = SHARED_SETTINGS.flatMap((key) => (env[key] === undefined ? [] : [[key, env[key]] as const]));
  return inlinePatch({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: SHOP_ENVIRONMENT, namespace: NAMESPACES.shop },
    data: {
      OTEL_RESOURCE_ATTRIBUTES: `deployment.environment.name=${env.DEPLOYMENT_ENVIRONMENT ?? name}`,
      ...Object.fromEntries(shared),
      ...extra,
    },
  });
};

const deletion = (apiVersion: string, kind: string, name: string) =>
  inlinePatch({ $patch: 'delete', apiVersion, kind, metadata: { name, namespace: NAMESPACES.shop } });

const components = (name: OverlayName) => OVERLAY_COMPONENTS[name].map((c) => `../../components/${c}`);

function devFiles(root: string): Files {
  const dir = `${KUBERNETES_DIR}/overlays/dev`;
  return new Map([
    [
      `${dir}/kustomization.yaml`,
      kustomization({
        kind: 'Kustomization',
        resources: ['../../base'],
        components: components('dev'),
        patches: [environment(root, 'dev')],
      }),
    ],
  ]);
}

function prodFiles(root: string): Files {
  const dir = `${KUBERNETES_DIR}/overlays/prod`;
  const list = workloads();
  const tls = (name: string, namespace: string, host: string) =>
    inlinePatch({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name, namespace },
      spec: { tls: [{ hosts: [host], secretName: TLS_SECRET }] },
    });
  const hpaFloor = scaled(list)
    .filter((w) => w.name in PROD_REPLICAS)
    .map((w) =>
      inlinePatch({
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: w.name, namespace: NAMESPACES.shop },
        spec: { minReplicas: PROD_REPLICAS[w.name as keyof typeof PROD_REPLICAS] },
      }),
    );
  return new Map([
    [
      `${dir}/postgres-cluster.yaml`,
      yamlDocuments([
        ...postgresCluster([...shopDatabases(list), GRAFANA_DATABASE]),
        postgresClusterPolicy(),
      ]),
    ],
    [`${dir}/redis-sentinel.yaml`, yamlDocuments(redisSentinelServices())],
    [
      `${dir}/kustomization.yaml`,
      kustomization({
        kind: 'Kustomization',
        resources: ['../../base', 'postgres-cluster.yaml', 'redis-sentinel.yaml'],
        components: components('prod'),
        replicas: Object.entries(PROD_REPLICAS).map(([name, count]) => ({ name, count })),
        patches: [
          environment(root, 'prod', {
            POSTGRES_HOST: `postgres-rw.${NAMESPACES.shop}.svc`,
            // The cart's client knows one address; it follows the first primary (see docs/kubernetes.md).
            REDIS_HOST: `redis-0.redis-headless.${NAMESPACES.shop}.svc`,
            REDIS_SENTINELS: `redis-sentinel.${NAMESPACES.shop}.svc:26379`,
          }),
          deletion('apps/v1', 'StatefulSet', 'postgres'),
          deletion('v1', 'Service', 'postgres'),
          deletion('v1', 'ConfigMap', 'postgres-init'),
          inlinePatch(redisSentinelPatch()),
          ...hpaFloor,
          tls('shop', NAMESPACES.shop, 'shop.localhost'),
          tls('grafana', NAMESPACES.monitoring, 'grafana.localhost'),
        ],
      }),
    ],
  ]);
}

export function overlayFiles(root: string): Files {
  return new Map([...devFiles(root), ...prodFiles(root)]);
}
