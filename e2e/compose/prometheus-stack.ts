import type { PrometheusConfig, ScrapeConfig } from '../../tools/run/src/prometheus-config.js';
import { prometheusConfig } from '../../tools/run/src/prometheus-config.js';
import { shopServices } from './shop-layer.js';

/** The namespace label of the jobs that watch the watchers, apart from the shop's `glasshouse`. */
export const MONITORING_NAMESPACE = 'glasshouse-monitoring';

/** Every part of the stack that serves Prometheus metrics besides the shop: compose name, port, path. */
export const MONITORED: readonly { readonly name: string; readonly port: number; readonly path: string }[] = [
  { name: 'prometheus', port: 9090, path: '/metrics' },
  { name: 'alertmanager', port: 9093, path: '/metrics' },
  { name: 'grafana', port: 3000, path: '/metrics' },
  { name: 'loki', port: 3100, path: '/metrics' },
  { name: 'tempo', port: 3200, path: '/metrics' },
  { name: 'jaeger', port: 8888, path: '/metrics' },
  { name: 'otel-collector', port: 8888, path: '/metrics' },
  { name: 'alloy', port: 12345, path: '/metrics' },
  { name: 'flagd', port: 8014, path: '/metrics' },
  { name: 'node-exporter', port: 9100, path: '/metrics' },
  { name: 'postgres-exporter', port: 9187, path: '/metrics' },
  { name: 'redis-exporter', port: 9121, path: '/metrics' },
];

/** Where the rule files of deploy/prometheus/rules are mounted in the Prometheus container. */
export const RULES_GLOB = '/etc/prometheus/rules/*.yml';

/** deploy/compose/prometheus/prometheus.yml: the shop's jobs as in the embedded run, plus the watchers. */
export function stackPrometheusConfig(): PrometheusConfig & {
  readonly global: { readonly scrape_timeout: string };
} {
  const shop = prometheusConfig(
    shopServices().map((spec) => ({ name: spec.name, adminPort: spec.adminPort, adminHost: spec.name })),
    { scrapeInterval: '15s', ruleFiles: [RULES_GLOB], alertmanagerUrl: 'http://alertmanager:9093' },
  );
  const watchers: ScrapeConfig[] = MONITORED.map((target) => ({
    job_name: target.name,
    metrics_path: target.path,
    scheme: 'http',
    static_configs: [
      {
        targets: [`${target.name === 'prometheus' ? 'localhost' : target.name}:${target.port}`],
        labels: { service: target.name, namespace: MONITORING_NAMESPACE },
      },
    ],
  }));
  return {
    ...shop,
    global: { ...shop.global, scrape_timeout: '10s', external_labels: { environment: 'compose' } },
    scrape_configs: [...shop.scrape_configs, ...watchers],
  };
}
