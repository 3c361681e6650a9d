import { stringify } from 'yaml';
import { KUBERNETES_DIR } from './base.js';
import { backupObjects } from './backup.js';
import { FLAGD_ENVIRONMENT, flagdObjects } from './flagd.js';
import { ingresses } from './ingress.js';
import { dashboardConfigMaps, prometheusRules, serviceMonitor } from './monitoring.js';
import { networkPolicies } from './network-policies.js';
import type { Files } from './output.js';
import { kustomization, yamlDocuments } from './output.js';
import { autoscalers, disruptionBudgets } from './scaling.js';
import { NAMESPACES, shopDatabases, workloads } from './shop.js';
import { k6Objects } from './traffic.js';
import { SHOP_ENVIRONMENT } from './workloads.js';

export const COMPONENTS = [
  'network-policies',
  'monitoring',
  'autoscaling',
  'pod-disruption-budgets',
  'k6',
  'flagd',
  'without-loadgen',
  'ingress',
  'backup',
] as const;
export type ComponentName = (typeof COMPONENTS)[number];

/** A component folder with its resources, one file per kind of object, plus its patches. */
function component(
  name: ComponentName,
  resources: Readonly<Record<string, readonly unknown[]>>,
  patches: readonly unknown[] = [],
): Files {
  const dir = `${KUBERNETES_DIR}/components/${name}`;
  const files: Files = new Map();
  const listed = Object.entries(resources).filter(([, objects]) => objects.length > 0);
  for (const [file, objects] of listed) files.set(`${dir}/${file}.yaml`, yamlDocuments(objects));
  files.set(
    `${dir}/kustomization.yaml`,
    kustomization({
      kind: 'Component',
      ...(listed.length > 0 && { resources: listed.map(([file]) => `${file}.yaml`) }),
      ...(patches.length > 0 && { patches }),
    }),
  );
  return files;
}

/** A strategic-merge patch, inline, as a kustomization's `patches` entry. */
export function inlinePatch(object: unknown): { patch: string } {
  return { patch: stringify(object, { lineWidth: 0 }) };
}

const deletion = (apiVersion: string, kind: string, name: string, namespace: string = NAMESPACES.shop) =>
  inlinePatch({ $patch: 'delete', apiVersion, kind, metadata: { name, namespace } });

export function componentFiles(root: string): Files {
  const list = workloads();
  return new Map([
    ...component('network-policies', { 'network-policies': networkPolicies(list) }),
    ...component('monitoring', {
      'service-monitor': [serviceMonitor()],
      'prometheus-rules': prometheusRules(root),
      dashboards: dashboardConfigMaps(root),
    }),
    ...component('autoscaling', { 'horizontal-pod-autoscalers': autoscalers(list) }),
    ...component('pod-disruption-budgets', { 'pod-disruption-budgets': disruptionBudgets(list) }),
    ...component('k6', { k6: k6Objects(root) }),
    ...component('flagd', { flagd: flagdObjects(root) }, [
      inlinePatch({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: SHOP_ENVIRONMENT, namespace: NAMESPACES.shop },
        data: FLAGD_ENVIRONMENT,
      }),
    ]),
    ...component('without-loadgen', {}, [
      deletion('apps/v1', 'Deployment', 'loadgen'),
      deletion('v1', 'Service', 'loadgen'),
      deletion('v1', 'ServiceAccount', 'loadgen'),
    ]),
    ...component('ingress', { ingress: ingresses() }),
    ...component('backup', { backup: backupObjects(root, shopDatabases(list)) }),
  ]);
}
