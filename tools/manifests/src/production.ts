import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { Service } from 'kubernetes-models/v1/Service';
import { labels, selector } from './labels.js';
import { IMAGES, NAMESPACES, POSTGRES_USER, REDIS_PORT, STORE_RESOURCES } from './shop.js';
import { POSTGRES_SECRET } from './workloads.js';

export const CNPG_API = 'postgresql.cnpg.io/v1';
export const POSTGRES_IMAGE_CNPG = 'ghcr.io/cloudnative-pg/postgresql:15.13';
export const SENTINEL_PORT = 26379;
const HEADLESS = `redis-headless.${NAMESPACES.shop}.svc`;

/** A CloudNativePG object; the operator's CRDs are checked by our own schema (schemas.ts). */
export interface CnpgObject {
  readonly apiVersion: typeof CNPG_API;
  readonly kind: 'Cluster' | 'Database';
  readonly metadata: {
    readonly name: string;
    readonly namespace: string;
    readonly labels?: Record<string, string>;
  };
  readonly spec: Record<string, unknown>;
}

/** PostgreSQL as a primary and a streaming replica, run by CloudNativePG; one Database per owner. */
export function postgresCluster(databases: readonly string[]): CnpgObject[] {
  const [first = 'catalog', ...rest] = databases;
  const cluster: CnpgObject = {
    apiVersion: CNPG_API,
    kind: 'Cluster',
    metadata: { name: 'postgres', namespace: NAMESPACES.shop, labels: labels('postgres', 'database') },
    spec: {
      instances: 2,
      imageName: POSTGRES_IMAGE_CNPG,
      primaryUpdateStrategy: 'unsupervised',
      // The pods carry our name label, so the shop's NetworkPolicies reach them as they do the StatefulSet.
      inheritedMetadata: { labels: selector('postgres') },
      bootstrap: { initdb: { database: first, owner: POSTGRES_USER, secret: { name: POSTGRES_SECRET } } },
      storage: { size: '5Gi' },
      resources: STORE_RESOURCES.postgres,
      affinity: { enablePodAntiAffinity: true, topologyKey: 'kubernetes.io/hostname' },
      monitoring: { enablePodMonitor: true },
    },
  };
  const owned = rest.map((name): CnpgObject => ({
    apiVersion: CNPG_API,
    kind: 'Database',
    metadata: {
      name: `postgres-${name}`,
      namespace: NAMESPACES.shop,
      labels: labels('postgres', 'database'),
    },
    spec: { name, owner: POSTGRES_USER, cluster: { name: 'postgres' } },
  }));
  return [cluster, ...owned];
}

/** The instances talk among themselves, and the operator (cnpg-system) reaches their status port. */
export function postgresClusterPolicy(): NetworkPolicy {
  const postgres = { podSelector: { matchLabels: selector('postgres') } };
  return new NetworkPolicy({
    metadata: {
      name: 'postgres-cluster',
      namespace: NAMESPACES.shop,
      labels: labels('postgres-cluster', 'network-policy'),
    },
    spec: {
      podSelector: { matchLabels: selector('postgres') },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [
        { from: [postgres], ports: [{ protocol: 'TCP', port: 5432 }] },
        {
          from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'cnpg-system' } } }],
          ports: [
            { protocol: 'TCP', port: 8000 },
            { protocol: 'TCP', port: 5432 },
          ],
        },
        {
          from: [
            { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': NAMESPACES.monitoring } } },
          ],
          ports: [{ protocol: 'TCP', port: 9187 }],
        },
      ],
      egress: [
        { to: [postgres], ports: [{ protocol: 'TCP', port: 5432 }] },
        // The instance manager watches its Cluster through the API server.
        {
          ports: [
            { protocol: 'TCP', port: 443 },
            { protocol: 'TCP', port: 6443 },
          ],
        },
      ],
    },
  });
}

/** Redis with Sentinel on three nodes: redis-0 starts as primary, the others replicate it. */
export function redisSentinelPatch(): Record<string, unknown> {
  const start = [
    'set -eu',
    `self="$HOSTNAME.${HEADLESS}"`,
    `if [ "\${HOSTNAME##*-}" = 0 ]; then exec redis-server --appendonly yes --dir /data --replica-announce-ip "$self"; fi`,
    `exec redis-server --appendonly yes --dir /data --replica-announce-ip "$self" --replicaof redis-0.${HEADLESS} ${REDIS_PORT}`,
  ].join('\n');
  // Sentinel rewrites its file, so it is written afresh into a scratch volume on every start.
  const sentinel = [
    'set -eu',
    `printf '%s\\n' 'sentinel resolve-hostnames yes' 'sentinel announce-hostnames yes' "sentinel announce-ip $HOSTNAME.${HEADLESS}" 'sentinel monitor shop redis-0.${HEADLESS} ${REDIS_PORT} 2' 'sentinel down-after-milliseconds shop 5000' 'sentinel failover-timeout shop 60000' > /sentinel/sentinel.conf`,
    `exec redis-sentinel /sentinel/sentinel.conf --port ${SENTINEL_PORT}`,
  ].join('\n');
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'redis', namespace: NAMESPACES.shop },
    spec: {
      replicas: 3,
      serviceName: 'redis-headless',
      template: {
        spec: {
          containers: [
            { name: 'redis', command: ['sh', '-c', start], args: [] },
            {
              name: 'sentinel',
              image: IMAGES.redis,
              command: ['sh', '-c', sentinel],
              ports: [{ name: 'sentinel', containerPort: SENTINEL_PORT }],
              readinessProbe: {
                exec: { command: ['redis-cli', '-p', String(SENTINEL_PORT), 'ping'] },
                periodSeconds: 5,
              },
              livenessProbe: {
                exec: { command: ['redis-cli', '-p', String(SENTINEL_PORT), 'ping'] },
                periodSeconds: 15,
              },
              resources: STORE_RESOURCES.small,
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                privileged: false,
                capabilities: { drop: ['ALL'] },
              },
              volumeMounts: [{ name: 'sentinel', mountPath: '/sentinel' }],
            },
          ],
          volumes: [{ name: 'sentinel', emptyDir: {} }],
        },
      },
    },
  };
}

export function redisSentinelServices(): Service[] {
  const metadata = (name: string) => ({ name, namespace: NAMESPACES.shop, labels: labels('redis', 'cache') });
  return [
    new Service({
      metadata: metadata('redis-headless'),
      spec: {
        clusterIP: 'None',
        publishNotReadyAddresses: true,
        selector: selector('redis'),
        ports: [
          { name: 'redis', port: REDIS_PORT, targetPort: REDIS_PORT },
          { name: 'sentinel', port: SENTINEL_PORT, targetPort: SENTINEL_PORT },
        ],
      },
    }),
    new Service({
      metadata: metadata('redis-sentinel'),
      spec: {
        selector: selector('redis'),
        ports: [{ name: 'sentinel', port: SENTINEL_PORT, targetPort: SENTINEL_PORT }],
      },
    }),
  ];
}
