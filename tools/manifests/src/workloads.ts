import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { IIoK8sApiCoreV1EnvVar } from 'kubernetes-models/v1/EnvVar';
import type { IIoK8sApiCoreV1Probe } from 'kubernetes-models/v1/Probe';
import { serviceSpec } from '@glasshouse/kit/core';
import { CONTAINER_SECURITY, podSecurity, scratch } from './hardening.js';
import { labels, selector } from './labels.js';
import type { Workload } from './shop.js';
import {
  NAMESPACES,
  POSTGRES_PORT,
  REDIS_PORT,
  SHOP_IMAGE,
  USERS,
  addressVariable,
  adminAddressVariable,
  metricsPortName,
  serviceAddress,
} from './shop.js';

/** The ConfigMap every shop container reads its shared settings from (overlays patch it). */
export const SHOP_ENVIRONMENT = 'shop-environment';
export const POSTGRES_SECRET = 'postgres-credentials';

const fromConfig = (name: string, key: string): IIoK8sApiCoreV1EnvVar => ({
  name,
  valueFrom: { configMapKeyRef: { name: SHOP_ENVIRONMENT, key } },
});

/** The Secret holding auth's bootstrap token; optional, made by the operator, never committed. */
export const ADMIN_SECRET = 'glasshouse-admin';

/** Listen addresses, peers' Service DNS names, and the stores' URLs of one service. */
export function environment(w: Workload): IIoK8sApiCoreV1EnvVar[] {
  const { spec } = w;
  const listen: IIoK8sApiCoreV1EnvVar[] =
    spec.protocol === 'worker' ? [] : [{ name: addressVariable(spec.name), value: `0.0.0.0:${spec.port}` }];
  if (spec.adminPort !== spec.port)
    listen.push({ name: adminAddressVariable(spec.name), value: `0.0.0.0:${spec.adminPort}` });
  const peers = spec.calls.map((target) => ({
    name: addressVariable(target),
    value: serviceAddress(serviceSpec(target)),
  }));
  // $(VAR) expands variables defined earlier in the list, so the URL is put together in the pod.
  const database: IIoK8sApiCoreV1EnvVar[] = w.database
    ? [
        fromConfig('POSTGRES_HOST', 'POSTGRES_HOST'),
        { name: 'POSTGRES_USER', valueFrom: { secretKeyRef: { name: POSTGRES_SECRET, key: 'username' } } },
        {
          name: 'POSTGRES_PASSWORD',
          valueFrom: { secretKeyRef: { name: POSTGRES_SECRET, key: 'password' } },
        },
        {
          name: 'DATABASE_URL',
          value: `postgres://$(POSTGRES_USER):$(POSTGRES_PASSWORD)@$(POSTGRES_HOST):${POSTGRES_PORT}/${w.database}`,
        },
      ]
    : [];
  const redis: IIoK8sApiCoreV1EnvVar[] =
    spec.store === 'redis'
      ? [
          fromConfig('REDIS_HOST', 'REDIS_HOST'),
          { name: 'REDIS_URL', value: `redis://$(REDIS_HOST):${REDIS_PORT}` },
        ]
      : [];
  // auth's bootstrap token (how the first admin is made), from a Secret the operator creates:
  // `kubectl -n <shop namespace> create secret generic glasshouse-admin --from-literal=token=…`.
  // Without it auth runs with no bootstrap token (its root file system is read-only).
  const bootstrap: IIoK8sApiCoreV1EnvVar[] =
    spec.name === 'auth'
      ? [
          {
            name: 'GLASSHOUSE_ADMIN_TOKEN',
            valueFrom: { secretKeyRef: { name: ADMIN_SECRET, key: 'token', optional: true } },
          },
        ]
      : [];
  return [
    ...listen,
    ...peers,
    ...database,
    ...redis,
    ...bootstrap,
    { name: 'OTEL_SERVICE_NAME', value: spec.name },
  ];
}

const probe = (
  path: string,
  port: string,
  periodSeconds: number,
  failureThreshold: number,
): IIoK8sApiCoreV1Probe => ({
  httpGet: { path, port },
  periodSeconds,
  failureThreshold,
  timeoutSeconds: 2,
});

/** Deployment, Service and ServiceAccount of one service of the table. */
export function workloadObjects(w: Workload): [ServiceAccount, Service, Deployment] {
  const metadata = { name: w.name, namespace: NAMESPACES.shop, labels: labels(w.name) };
  const admin = metricsPortName(w);
  const tmp = scratch({ tmp: '/tmp' });
  const deployment = new Deployment({
    metadata,
    spec: {
      replicas: 1,
      revisionHistoryLimit: 3,
      selector: { matchLabels: selector(w.name) },
      template: {
        metadata: { labels: labels(w.name) },
        spec: {
          serviceAccountName: w.name,
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          // Graceful shutdown drains in-flight calls before the port closes.
          terminationGracePeriodSeconds: 30,
          securityContext: podSecurity(USERS.shop),
          // Replicas on different nodes where the scheduler can, so losing a node loses one of them.
          topologySpreadConstraints: [
            {
              maxSkew: 1,
              topologyKey: 'kubernetes.io/hostname',
              whenUnsatisfiable: 'ScheduleAnyway',
              labelSelector: { matchLabels: selector(w.name) },
            },
          ],
          containers: [
            {
              name: w.name,
              image: SHOP_IMAGE,
              imagePullPolicy: 'IfNotPresent',
              args: [w.name],
              ports: w.ports.map((p) => ({ name: p.name, containerPort: p.port, protocol: 'TCP' })),
              envFrom: [{ configMapRef: { name: SHOP_ENVIRONMENT } }],
              env: environment(w),
              startupProbe: probe('/healthz', admin, 2, 30),
              livenessProbe: probe('/healthz', admin, 10, 3),
              readinessProbe: probe('/readyz', admin, 5, 2),
              resources: w.resources,
              securityContext: CONTAINER_SECURITY,
              volumeMounts: tmp.mounts,
            },
          ],
          volumes: tmp.volumes,
        },
      },
    },
  });
  const service = new Service({
    metadata,
    spec: {
      type: 'ClusterIP',
      selector: selector(w.name),
      ports: w.ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.name, protocol: 'TCP' })),
    },
  });
  const account = new ServiceAccount({ metadata, automountServiceAccountToken: false });
  return [account, service, deployment];
}
