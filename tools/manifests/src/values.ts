import { kubePrometheusStackProdValues, kubePrometheusStackValues } from './monitoring-values.js';
import type { Files } from './output.js';
import { yamlDocuments } from './output.js';
import {
  alloyValues,
  collectorEnvironment,
  collectorValues,
  jaegerValues,
  lokiProdValues,
  lokiValues,
  tempoValues,
} from './pipeline-values.js';

export const HELM_DIR = 'deploy/helm';

/** The charts' values files up.sh installs with: `<chart>.values.yaml`, plus `<chart>.prod.values.yaml`. */
export function valuesFiles(root: string): Files {
  const files: Record<string, Record<string, unknown>> = {
    'kube-prometheus-stack.values.yaml': kubePrometheusStackValues(root),
    'kube-prometheus-stack.prod.values.yaml': kubePrometheusStackProdValues(root),
    'loki.values.yaml': lokiValues(root),
    'loki.prod.values.yaml': lokiProdValues(),
    'tempo.values.yaml': tempoValues(root),
    'jaeger.values.yaml': jaegerValues(),
    'opentelemetry-collector.values.yaml': collectorValues(root),
    'opentelemetry-collector.prod.values.yaml': { extraEnvs: collectorEnvironment(root, 'prod') },
    'alloy.values.yaml': alloyValues(root, 'dev'),
    'alloy.prod.values.yaml': { alloy: { extraEnv: [{ name: 'DEPLOYMENT_ENVIRONMENT', value: 'prod' }] } },
  };
  return new Map(
    Object.entries(files).map(([name, values]) => [`${HELM_DIR}/${name}`, yamlDocuments([values])]),
  );
}
