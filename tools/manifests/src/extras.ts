import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { CronJob } from 'kubernetes-models/batch/v1/CronJob';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Service } from 'kubernetes-models/v1/Service';
import { serviceSpec } from '@glasshouse/kit/core';
import { CONTAINER_SECURITY, podSecurity, scratch } from './hardening.js';
import { labels, selector } from './labels.js';
import { IMAGES, NAMESPACES, POSTGRES_PORT, STORE_RESOURCES, USERS } from './shop.js';
import { POSTGRES_SECRET, SHOP_ENVIRONMENT } from './workloads.js';

export const FLAGS_FILE = 'deploy/flags/glasshouse.flagd.json';
export const BACKUP_SCRIPT = 'deploy/backup/backup.sh';
/** flagd's ports: gRPC evaluation, management (health, metrics), sync for in-process providers, OFREP. */
export const FLAGD_PORTS = { evaluation: 8013, management: 8014, sync: 8015, ofrep: 8016 } as const;
export const SHOP_HOST = 'shop.localhost';
export const GRAFANA_HOST = 'grafana.localhost';
/** Grafana's Service as kube-prometheus-stack names it with our values (grafana.fullnameOverride). */
export const GRAFANA_SERVICE = { name: 'grafana', port: 80 } as const;

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

/** One entry point (k3d's Traefik): the shop at shop.localhost, Grafana at grafana.localhost. */
export function ingresses(): [Ingress, Ingress] {
  const ingress = (name: string, namespace: string, host: string, service: { name: string; port: number }) =>
    new Ingress({
      metadata: { name, namespace, labels: labels(name, 'ingress') },
      spec: {
        ingressClassName: 'traefik',
        rules: [
          {
            host,
            http: {
              paths: [
                {
                  path: '/',
                  pathType: 'Prefix',
                  backend: { service: { name: service.name, port: { number: service.port } } },
                },
              ],
            },
          },
        ],
      },
    });
  return [
    ingress('shop', NAMESPACES.shop, SHOP_HOST, { name: 'frontend', port: serviceSpec('frontend').port }),
    ingress('grafana', NAMESPACES.monitoring, GRAFANA_HOST, GRAFANA_SERVICE),
  ];
}

/** A nightly-and-more dump of every shop database to a volume, with deploy/backup/backup.sh. */
export function backupObjects(
  root: string,
  databases: readonly string[],
): [ConfigMap, PersistentVolumeClaim, CronJob] {
  const metadata = {
    name: 'postgres-backup',
    namespace: NAMESPACES.shop,
    labels: labels('postgres-backup', 'backup'),
  };
  const tmp = scratch({ tmp: '/tmp' });
  const secret = (key: string) => ({ secretKeyRef: { name: POSTGRES_SECRET, key } });
  return [
    new ConfigMap({ metadata, data: { 'backup.sh': readFileSync(join(root, BACKUP_SCRIPT), 'utf8') } }),
    new PersistentVolumeClaim({
      metadata,
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } } },
    }),
    new CronJob({
      metadata,
      spec: {
        schedule: '17 */6 * * *',
        concurrencyPolicy: 'Forbid',
        successfulJobsHistoryLimit: 2,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          spec: {
            backoffLimit: 2,
            activeDeadlineSeconds: 1800,
            template: {
              metadata: { labels: labels('postgres-backup', 'backup') },
              spec: {
                restartPolicy: 'OnFailure',
                automountServiceAccountToken: false,
                enableServiceLinks: false,
                securityContext: podSecurity(USERS.postgres),
                containers: [
                  {
                    name: 'backup',
                    image: IMAGES.postgres,
                    command: ['bash', '/scripts/backup.sh'],
                    args: [
                      '-d',
                      '/backups',
                      '-k',
                      '28',
                      ...databases.map(
                        (db) => `postgresql://$(PGUSER)@$(POSTGRES_HOST):${POSTGRES_PORT}/${db}`,
                      ),
                    ],
                    env: [
                      {
                        name: 'POSTGRES_HOST',
                        valueFrom: { configMapKeyRef: { name: SHOP_ENVIRONMENT, key: 'POSTGRES_HOST' } },
                      },
                      { name: 'PGUSER', valueFrom: secret('username') },
                      { name: 'PGPASSWORD', valueFrom: secret('password') },
                    ],
                    resources: STORE_RESOURCES.postgres,
                    securityContext: CONTAINER_SECURITY,
                    volumeMounts: [
                      { name: 'scripts', mountPath: '/scripts', readOnly: true },
                      { name: 'backups', mountPath: '/backups' },
                      ...tmp.mounts,
                    ],
                  },
                ],
                volumes: [
                  { name: 'scripts', configMap: { name: 'postgres-backup' } },
                  { name: 'backups', persistentVolumeClaim: { claimName: 'postgres-backup' } },
                  ...tmp.volumes,
                ],
              },
            },
          },
        },
      },
    }),
  ];
}
