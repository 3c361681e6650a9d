import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { parse } from 'yaml';
import { labels } from './labels.js';
import { NAMESPACES } from './shop.js';

/** The label kube-prometheus-stack's selectors look for (our values also select everything). */
export const RELEASE_LABEL = { release: 'monitoring' } as const;
export const RULES_DIR = 'deploy/prometheus/rules';
export const DASHBOARDS_DIR = 'deploy/grafana/dashboards';
/** The sidecar's label and folder annotation, as our Grafana values configure them. */
export const DASHBOARD_LABEL = 'grafana_dashboard';
export const FOLDER_ANNOTATION = 'grafana_folder';
/** Components (label values) of the Services Prometheus scrapes: the table's services, flagd, the stores' exporters. */
export const MONITORED = ['service', 'feature-flags', 'database', 'cache'] as const;

/**
 * One ServiceMonitor for every Service of the shop and flagd: /metrics on the admin port (the
 * frontend's on its only port). Targets carry the contract's labels: `service` (the operator sets it from
 * the Service's name) and `namespace="glasshouse"`, the Kubernetes one kept as kubernetes_namespace.
 */
export function serviceMonitor(): ServiceMonitor {
  const endpoint = (port: string) => ({
    port,
    path: '/metrics',
    interval: '15s',
    relabelings: [
      { sourceLabels: ['__meta_kubernetes_namespace'], targetLabel: 'kubernetes_namespace' },
      { targetLabel: 'namespace', replacement: 'glasshouse', action: 'replace' as const },
    ],
  });
  return new ServiceMonitor({
    metadata: {
      name: 'glasshouse-services',
      namespace: NAMESPACES.shop,
      labels: { ...labels('glasshouse-services', 'monitoring'), ...RELEASE_LABEL },
    },
    spec: {
      selector: {
        matchLabels: { 'app.kubernetes.io/part-of': 'glasshouse' },
        matchExpressions: [{ key: 'app.kubernetes.io/component', operator: 'In', values: [...MONITORED] }],
      },
      namespaceSelector: { matchNames: [NAMESPACES.shop] },
      // The gRPC services' and the load generator's admin port, the frontend's only port, flagd's
      // management port, the stores' exporters.
      endpoints: [endpoint('admin'), endpoint('http'), endpoint('management'), endpoint('metrics')],
    },
  });
}

interface RuleFile {
  readonly groups: { readonly name: string; readonly rules: readonly Record<string, unknown>[] }[];
}

/** One PrometheusRule per rule file of deploy/prometheus/rules, its groups as they are. */
export function prometheusRules(root: string): PrometheusRule[] {
  return listFiles(join(root, RULES_DIR), /\.ya?ml$/).map((file) => {
    const source = parse(readFileSync(file, 'utf8')) as RuleFile;
    return new PrometheusRule({
      metadata: {
        name: `glasshouse-${basename(file).replace(/\.ya?ml$/, '')}`,
        namespace: NAMESPACES.monitoring,
        labels: { ...labels('glasshouse-rules', 'monitoring'), ...RELEASE_LABEL },
      },
      spec: { groups: source.groups as NonNullable<PrometheusRule['spec']>['groups'] },
    });
  });
}

/** Every dashboard JSON under deploy/grafana/dashboards/<folder>/ as a ConfigMap for the sidecar. */
export function dashboardConfigMaps(root: string): ConfigMap[] {
  const dir = join(root, DASHBOARDS_DIR);
  return listDirs(dir).flatMap((folder) =>
    listFiles(join(dir, folder), /\.json$/).map((file) => {
      const name = basename(file, '.json');
      return new ConfigMap({
        metadata: {
          name: `dashboard-${folder}-${name}`.toLowerCase().replace(/[^a-z0-9-]/g, '-'),
          namespace: NAMESPACES.monitoring,
          labels: { ...labels('grafana-dashboards', 'monitoring'), [DASHBOARD_LABEL]: '1' },
          annotations: { [FOLDER_ANNOTATION]: folder },
        },
        data: { [`${name}.json`]: readFileSync(file, 'utf8') },
      });
    }),
  );
}

export function listFiles(dir: string, pattern: RegExp): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isFile() && pattern.test(e.name))
      .map((e) => join(dir, e.name))
      .sort();
  } catch {
    return [];
  }
}

function listDirs(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}
