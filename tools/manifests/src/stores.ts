import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { EXPORTER_PORTS, postgresExporter, redisExporter } from './exporters.js';
import { CONTAINER_SECURITY, podSecurity, scratch } from './hardening.js';
import { labels, selector } from './labels.js';
import {
  COLLECTOR_HOST,
  IMAGES,
  NAMESPACES,
  OTLP_HTTP_PORT,
  PASSWORD_PLACEHOLDER,
  POSTGRES_PORT,
  POSTGRES_USER,
  REDIS_PORT,
  STORE_RESOURCES,
  USERS,
} from './shop.js';
import { POSTGRES_SECRET, SHOP_ENVIRONMENT } from './workloads.js';

export function namespaces(): Namespace[] {
  return Object.values(NAMESPACES).map(
    (name) => new Namespace({ metadata: { name, labels: { 'app.kubernetes.io/part-of': 'glasshouse' } } }),
  );
}

/** Settings every shop container shares; overlays patch the environment name and the hosts. */
export function shopEnvironment(): ConfigMap {
  return new ConfigMap({
    metadata: { name: SHOP_ENVIRONMENT, namespace: NAMESPACES.shop, labels: labels('shop', 'config') },
    data: {
      POSTGRES_HOST: `postgres.${NAMESPACES.shop}.svc`,
      REDIS_HOST: `redis.${NAMESPACES.shop}.svc`,
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://${COLLECTOR_HOST}:${OTLP_HTTP_PORT}`,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '1',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=kubernetes',
      LOG_LEVEL: 'info',
    },
  });
}

/** The store's login; the committed password is a marked placeholder up.sh replaces. */
export function postgresSecret(): Secret {
  return new Secret({
    metadata: {
      name: POSTGRES_SECRET,
      namespace: NAMESPACES.shop,
      labels: labels('postgres', 'database'),
      annotations: { 'glasshouse.dev/placeholder': 'deploy/k3d/up.sh generates the password' },
    },
    // basic-auth is what CloudNativePG expects of a bootstrap secret, in the prod overlay.
    type: 'kubernetes.io/basic-auth',
    stringData: { username: POSTGRES_USER, password: PASSWORD_PLACEHOLDER },
  });
}

/** One database per owning service, made by the image's init hook on first start. */
export function postgresInit(databases: readonly string[]): ConfigMap {
  const sql = databases.map((db) => `CREATE DATABASE ${db} OWNER ${POSTGRES_USER};`).join('\n');
  return new ConfigMap({
    metadata: { name: 'postgres-init', namespace: NAMESPACES.shop, labels: labels('postgres', 'database') },
    data: { '10-shop-databases.sql': `${sql}\n` },
  });
}

const exec = (command: string[], periodSeconds: number) => ({
  exec: { command },
  periodSeconds,
  timeoutSeconds: 3,
  failureThreshold: 3,
});

export function postgres(): [Service, StatefulSet] {
  const metadata = { name: 'postgres', namespace: NAMESPACES.shop, labels: labels('postgres', 'database') };
  const run = scratch({ run: '/var/run/postgresql', tmp: '/tmp' });
  const ready = ['pg_isready', '-U', POSTGRES_USER, '-h', '127.0.0.1'];
  const service = new Service({
    metadata,
    spec: {
      selector: selector('postgres'),
      ports: [
        { name: 'postgres', port: POSTGRES_PORT, targetPort: 'postgres' },
        { name: 'metrics', port: EXPORTER_PORTS.postgres, targetPort: 'metrics' },
      ],
    },
  });
  const statefulSet = new StatefulSet({
    metadata,
    spec: {
      serviceName: 'postgres',
      replicas: 1,
      selector: { matchLabels: selector('postgres') },
      template: {
        metadata: { labels: labels('postgres', 'database') },
        spec: {
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: podSecurity(USERS.postgres),
          containers: [
            {
              name: 'postgres',
              image: IMAGES.postgres,
              ports: [{ name: 'postgres', containerPort: POSTGRES_PORT }],
              env: [
                {
                  name: 'POSTGRES_USER',
                  valueFrom: { secretKeyRef: { name: POSTGRES_SECRET, key: 'username' } },
                },
                {
                  name: 'POSTGRES_PASSWORD',
                  valueFrom: { secretKeyRef: { name: POSTGRES_SECRET, key: 'password' } },
                },
                { name: 'PGDATA', value: '/var/lib/postgresql/data/pgdata' },
              ],
              readinessProbe: exec(ready, 5),
              livenessProbe: exec(ready, 15),
              resources: STORE_RESOURCES.postgres,
              securityContext: CONTAINER_SECURITY,
              volumeMounts: [
                { name: 'data', mountPath: '/var/lib/postgresql/data' },
                { name: 'init', mountPath: '/docker-entrypoint-initdb.d', readOnly: true },
                ...run.mounts,
              ],
            },
            postgresExporter(POSTGRES_SECRET),
          ],
          volumes: [{ name: 'init', configMap: { name: 'postgres-init' } }, ...run.volumes],
        },
      },
      volumeClaimTemplates: [
        {
          metadata: { name: 'data' },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } } },
        },
      ],
    },
  });
  return [service, statefulSet];
}

export function redis(): [Service, StatefulSet] {
  const metadata = { name: 'redis', namespace: NAMESPACES.shop, labels: labels('redis', 'cache') };
  const ping = ['redis-cli', 'ping'];
  const service = new Service({
    metadata,
    spec: {
      selector: selector('redis'),
      ports: [
        { name: 'redis', port: REDIS_PORT, targetPort: 'redis' },
        { name: 'metrics', port: EXPORTER_PORTS.redis, targetPort: 'metrics' },
      ],
    },
  });
  const statefulSet = new StatefulSet({
    metadata,
    spec: {
      serviceName: 'redis',
      replicas: 1,
      selector: { matchLabels: selector('redis') },
      template: {
        metadata: { labels: labels('redis', 'cache') },
        spec: {
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: podSecurity(USERS.redis),
          containers: [
            {
              name: 'redis',
              image: IMAGES.redis,
              args: [
                '--appendonly',
                'yes',
                '--dir',
                '/data',
                '--maxmemory',
                '200mb',
                '--maxmemory-policy',
                'allkeys-lru',
              ],
              ports: [{ name: 'redis', containerPort: REDIS_PORT }],
              readinessProbe: exec(ping, 5),
              livenessProbe: exec(ping, 15),
              resources: STORE_RESOURCES.redis,
              securityContext: CONTAINER_SECURITY,
              volumeMounts: [{ name: 'data', mountPath: '/data' }],
            },
            redisExporter(),
          ],
        },
      },
      volumeClaimTemplates: [
        {
          metadata: { name: 'data' },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
        },
      ],
    },
  });
  return [service, statefulSet];
}
