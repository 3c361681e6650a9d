import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Service } from 'kubernetes-models/v1/Service';
import { CONTAINER_SECURITY, podSecurity, scratch } from './hardening.js';
import { labels, selector } from './labels.js';
import { IMAGES, NAMESPACES, STORE_RESOURCES, USERS } from './shop.js';

export const FLAGS_FILE = 'deploy/flags/glasshouse.flagd.json';
/** flagd's ports: gRPC evaluation, management (health, metrics), sync for in-process providers, OFREP. */
export const FLAGD_PORTS = { evaluation: 8013, management: 8014, sync: 8015, ofrep: 8016 } as const;

/** flagd serving the failure scenarios' flag file; the shop's providers sync from it in-process. */
export function flagdObjects(root: string): [ConfigMap, Service, Deployment, NetworkPolicy, NetworkPolicy] {
  const path = join(root, FLAGS_FILE);
  // Until the flags file lands (issue 19), flagd serves an empty set rather than failing to start.
  const flags = existsSync(path) ? readFileSync(path, 'utf8') : '{\n  "flags": {}\n}\n';
  const metadata = { name: 'flagd', namespace: NAMESPACES.shop, labels: labels('flagd', 'feature-flags') };
  const ports = Object.entries(FLAGD_PORTS).map(([name, port]) => ({ name: name.slice(0, 15), port }));
  const tmp = scratch({ tmp: '/tmp' });
  const probe = (path: string) => ({
    httpGet: { path, port: 'management' },
    periodSeconds: 10,
    timeoutSeconds: 2,
  });
  const deployment = new Deployment({
    metadata,
    spec: {
      replicas: 1,
      selector: { matchLabels: selector('flagd') },
      template: {
        metadata: { labels: labels('flagd', 'feature-flags') },
        spec: {
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: podSecurity(USERS.flagd),
          containers: [
            {
              name: 'flagd',
              image: IMAGES.flagd,
              args: ['start', '--uri', 'file:/etc/flagd/glasshouse.flagd.json'],
              ports: ports.map((p) => ({ name: p.name, containerPort: p.port })),
              livenessProbe: probe('/healthz'),
              readinessProbe: probe('/readyz'),
              resources: STORE_RESOURCES.small,
              securityContext: CONTAINER_SECURITY,
              volumeMounts: [{ name: 'flags', mountPath: '/etc/flagd', readOnly: true }, ...tmp.mounts],
            },
          ],
          volumes: [{ name: 'flags', configMap: { name: 'flagd-flags' } }, ...tmp.volumes],
        },
      },
    },
  });
  const served = [FLAGD_PORTS.evaluation, FLAGD_PORTS.sync, FLAGD_PORTS.ofrep].map((port) => ({
    protocol: 'TCP' as const,
    port,
  }));
  const shopPods = {
    matchLabels: { 'app.kubernetes.io/part-of': 'glasshouse', 'app.kubernetes.io/component': 'service' },
  };
  return [
    new ConfigMap({
      metadata: { ...metadata, name: 'flagd-flags' },
      data: { 'glasshouse.flagd.json': flags },
    }),
    new Service({
      metadata,
      spec: {
        selector: selector('flagd'),
        ports: ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.name })),
      },
    }),
    deployment,
    new NetworkPolicy({
      metadata,
      spec: {
        podSelector: { matchLabels: selector('flagd') },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [
          { from: [{ podSelector: shopPods }], ports: served },
          {
            from: [
              {
                namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': NAMESPACES.monitoring } },
              },
            ],
            ports: [{ protocol: 'TCP', port: FLAGD_PORTS.management }],
          },
        ],
        egress: [],
      },
    }),
    new NetworkPolicy({
      metadata: { ...metadata, name: 'shop-to-flagd' },
      spec: {
        podSelector: shopPods,
        policyTypes: ['Egress'],
        egress: [{ to: [{ podSelector: { matchLabels: selector('flagd') } }], ports: served }],
      },
    }),
  ];
}

/** What the flagd component adds to the shop's shared settings. */
export const FLAGD_ENVIRONMENT = {
  FLAGD_HOST: `flagd.${NAMESPACES.shop}.svc`,
  FLAGD_PORT: String(FLAGD_PORTS.sync),
  FLAGD_RESOLVER: 'in-process',
} as const;
