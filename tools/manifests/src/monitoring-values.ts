import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse } from 'yaml';
import { CLUSTER_HOSTS, rewriteAddresses } from './hosts.js';
import { DASHBOARD_LABEL, FOLDER_ANNOTATION, listFiles } from './monitoring.js';
import { NAMESPACES, STORE_RESOURCES } from './shop.js';

export const ALERTMANAGER_CONFIG = 'deploy/alertmanager/stack.yml';
export const ALERTMANAGER_TEMPLATES = 'deploy/alertmanager/templates';
export const GRAFANA_PROVISIONING = 'deploy/grafana/provisioning';
/** The Secret holding the receivers' files; the operator mounts it at /etc/alertmanager/secrets/<name>/. */
export const RECEIVER_SECRET = 'alertmanager-receivers';
/** NodePorts k3d publishes on localhost (deploy/k3d/cluster.yaml). */
export const NODE_PORTS = { prometheus: 30090, grafana: 30300, alertmanager: 30093, jaeger: 30686 } as const;

const readYaml = (root: string, path: string): unknown => parse(readFileSync(join(root, path), 'utf8'));

/** stack.yml as the operator runs it: secret files and templates where the chart mounts them. */
export function alertmanagerConfig(root: string): unknown {
  const text = readFileSync(join(root, ALERTMANAGER_CONFIG), 'utf8')
    .replaceAll('/etc/alertmanager/secrets/', `/etc/alertmanager/secrets/${RECEIVER_SECRET}/`)
    .replaceAll('/etc/alertmanager/templates/', '/etc/alertmanager/config/');
  return rewriteAddresses(parse(text));
}

function templateFiles(root: string): Record<string, string> {
  return Object.fromEntries(
    listFiles(join(root, ALERTMANAGER_TEMPLATES), /\.tmpl$/).map((file) => [
      basename(file),
      readFileSync(file, 'utf8'),
    ]),
  );
}

/** Grafana's provisioning files of one kind (datasources, alerting), hosts rewritten, by file name. */
function provisioning(
  root: string,
  kind: string,
  hosts: Readonly<Record<string, string>>,
): Record<string, unknown> {
  return Object.fromEntries(
    listFiles(join(root, GRAFANA_PROVISIONING, kind), /\.ya?ml$/).map((file) => [
      basename(file),
      rewriteAddresses(readYaml(root, join(GRAFANA_PROVISIONING, kind, basename(file))), hosts),
    ]),
  );
}

/** kube-prometheus-stack: Prometheus, Alertmanager with our routing, Grafana with our provisioning. */
export function kubePrometheusStackValues(root: string): Record<string, unknown> {
  return {
    fullnameOverride: 'monitoring',
    prometheus: {
      service: { type: 'NodePort', nodePort: NODE_PORTS.prometheus },
      prometheusSpec: {
        replicas: 1,
        // Pick up every ServiceMonitor and rule of ours, not only those labelled for this release.
        serviceMonitorSelectorNilUsesHelmValues: false,
        podMonitorSelectorNilUsesHelmValues: false,
        ruleSelectorNilUsesHelmValues: false,
        scrapeInterval: '15s',
        evaluationInterval: '15s',
        retention: '15d',
        externalLabels: { environment: 'kubernetes' },
        enableFeatures: ['exemplar-storage'],
        // Tempo's metrics generator writes span metrics and the service graph here.
        enableRemoteWriteReceiver: true,
        resources: { requests: { cpu: '500m', memory: '2Gi' }, limits: { cpu: '2000m', memory: '4Gi' } },
        storageSpec: {
          volumeClaimTemplate: {
            spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } },
          },
        },
      },
    },
    alertmanager: {
      service: { type: 'NodePort', nodePort: NODE_PORTS.alertmanager },
      config: alertmanagerConfig(root),
      templateFiles: templateFiles(root),
      alertmanagerSpec: { secrets: [RECEIVER_SECRET], resources: STORE_RESOURCES.redis },
    },
    grafana: {
      fullnameOverride: 'grafana',
      replicas: 1,
      admin: { existingSecret: 'grafana-admin', userKey: 'admin-user', passwordKey: 'admin-password' },
      // The PostgreSQL data sources' login, copied by up.sh from the shop's Secret.
      envFromSecret: 'grafana-database',
      service: { type: 'NodePort', nodePort: NODE_PORTS.grafana },
      persistence: { enabled: true, size: '5Gi' },
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '200m', memory: '256Mi' } },
      defaultDashboardsEnabled: true,
      sidecar: {
        // Our data sources carry the contract's uids; the chart's own would take `prometheus`.
        datasources: { defaultDatasourceEnabled: false, alertmanager: { enabled: false } },
        dashboards: {
          enabled: true,
          label: DASHBOARD_LABEL,
          labelValue: '1',
          searchNamespace: 'ALL',
          folderAnnotation: FOLDER_ANNOTATION,
          provider: { foldersFromFilesStructure: true, allowUiUpdates: false },
        },
      },
      datasources: provisioning(root, 'datasources', CLUSTER_HOSTS),
      alerting: provisioning(root, 'alerting', CLUSTER_HOSTS),
      'grafana.ini': { analytics: { reporting_enabled: false, check_for_updates: false } },
    },
    nodeExporter: { enabled: true },
    kubeStateMetrics: { enabled: true },
  };
}

/** Seed 001's production recommendations: two of Prometheus, Alertmanager and Grafana; Grafana on PostgreSQL. */
export function kubePrometheusStackProdValues(root: string): Record<string, unknown> {
  const hosts = { ...CLUSTER_HOSTS, postgres: `postgres-ro.${NAMESPACES.shop}.svc` };
  return {
    prometheus: { prometheusSpec: { replicas: 2, externalLabels: { environment: 'prod' } } },
    alertmanager: { alertmanagerSpec: { replicas: 2 } },
    grafana: {
      replicas: 2,
      // Two replicas share their state in PostgreSQL instead of one pod's SQLite file.
      persistence: { enabled: false },
      'grafana.ini': {
        database: {
          type: 'postgres',
          host: `postgres-rw.${NAMESPACES.shop}.svc:5432`,
          name: 'grafana',
          user: '$__env{GLASSHOUSE_GRAFANA_DB_USER}',
          password: '$__env{GLASSHOUSE_GRAFANA_DB_PASSWORD}',
        },
      },
      // Dashboards read the streaming replica, not the primary the shop writes to.
      datasources: provisioning(root, 'datasources', hosts),
    },
  };
}
