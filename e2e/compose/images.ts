/**
 * The images the compose stack runs, by official name and pinned tag. The real compose test
 * swaps these names (and only these) for images it builds from Debian packages.
 */
export const IMAGES = {
  shop: 'glasshouse/shop:${GLASSHOUSE_VERSION:-dev}',
  postgres: 'postgres:15.13-bookworm',
  redis: 'redis:7.4.5-bookworm',
  prometheus: 'prom/prometheus:v3.5.0',
  alertmanager: 'prom/alertmanager:v0.28.1',
  grafana: 'grafana/grafana:12.1.1',
  loki: 'grafana/loki:3.5.3',
  alloy: 'grafana/alloy:v1.10.2',
  tempo: 'grafana/tempo:2.8.2',
  jaeger: 'jaegertracing/jaeger:2.9.0',
  'otel-collector': 'otel/opentelemetry-collector-contrib:0.132.0',
  flagd: 'ghcr.io/open-feature/flagd:v0.12.9',
  'node-exporter': 'prom/node-exporter:v1.9.1',
  'postgres-exporter': 'quay.io/prometheuscommunity/postgres-exporter:v0.17.1',
  'redis-exporter': 'oliver006/redis_exporter:v1.75.0',
  k6: 'grafana/k6:1.2.2',
} as const;

export type ImageName = keyof typeof IMAGES;
