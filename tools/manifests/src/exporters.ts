import type { IIoK8sApiCoreV1Container } from 'kubernetes-models/v1/Container';
import { CONTAINER_SECURITY } from './hardening.js';
import { IMAGES, POSTGRES_PORT, REDIS_PORT, STORE_RESOURCES } from './shop.js';

/** The exporters' ports, named `metrics` on the stores' Services for the ServiceMonitor. */
export const EXPORTER_PORTS = { postgres: 9187, redis: 9121 } as const;

const probe = { httpGet: { path: '/', port: 'metrics' }, periodSeconds: 15, timeoutSeconds: 3 };

/** postgres-exporter beside PostgreSQL, over loopback: the pg_* series the infrastructure dashboard reads. */
export function postgresExporter(secret: string): IIoK8sApiCoreV1Container {
  return {
    name: 'postgres-exporter',
    image: IMAGES.postgresExporter,
    ports: [{ name: 'metrics', containerPort: EXPORTER_PORTS.postgres }],
    env: [
      { name: 'DATA_SOURCE_URI', value: `127.0.0.1:${POSTGRES_PORT}/postgres?sslmode=disable` },
      { name: 'DATA_SOURCE_USER', valueFrom: { secretKeyRef: { name: secret, key: 'username' } } },
      { name: 'DATA_SOURCE_PASS', valueFrom: { secretKeyRef: { name: secret, key: 'password' } } },
    ],
    readinessProbe: probe,
    livenessProbe: probe,
    resources: STORE_RESOURCES.small,
    securityContext: CONTAINER_SECURITY,
  };
}

/** redis_exporter beside Redis: the redis_* series. */
export function redisExporter(): IIoK8sApiCoreV1Container {
  return {
    name: 'redis-exporter',
    image: IMAGES.redisExporter,
    ports: [{ name: 'metrics', containerPort: EXPORTER_PORTS.redis }],
    env: [{ name: 'REDIS_ADDR', value: `redis://127.0.0.1:${REDIS_PORT}` }],
    readinessProbe: probe,
    livenessProbe: probe,
    resources: STORE_RESOURCES.small,
    securityContext: CONTAINER_SECURITY,
  };
}
