import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { rewriteAddresses } from './hosts.js';
import { listFiles } from './monitoring.js';
import { NODE_PORTS } from './monitoring-values.js';
import { NAMESPACES, OTLP_HTTP_PORT } from './shop.js';

export const ALLOY_CONFIG = 'tools/manifests/alloy/kubernetes.alloy';
/** The compose stack's pipeline configs, embedded when they exist (one source for both stacks). */
export const PIPELINE_SOURCES = {
  collector: 'deploy/collector',
  tempo: 'deploy/tempo',
  loki: 'deploy/loki',
} as const;

const TEMPO = `tempo.${NAMESPACES.observability}.svc`;
const JAEGER = `jaeger.${NAMESPACES.observability}.svc`;

/** The first YAML file of a compose pipeline folder, parsed with its hosts moved into the cluster. */
export function composeConfig(root: string, kind: keyof typeof PIPELINE_SOURCES): unknown {
  const [file] = listFiles(join(root, PIPELINE_SOURCES[kind]), /\.ya?ml$/);
  return file ? rewriteAddresses(parse(readFileSync(file, 'utf8'))) : undefined;
}

/**
 * The collector's own pipeline until deploy/collector lands: OTLP in; keep every error, every slow
 * trace and a tenth of the rest; spans to Tempo and Jaeger.
 */
const DEFAULT_COLLECTOR = {
  receivers: {
    otlp: {
      protocols: { grpc: { endpoint: '0.0.0.0:4317' }, http: { endpoint: `0.0.0.0:${OTLP_HTTP_PORT}` } },
    },
  },
  processors: {
    memory_limiter: { check_interval: '1s', limit_percentage: 80, spike_limit_percentage: 20 },
    tail_sampling: {
      decision_wait: '10s',
      policies: [
        { name: 'errors', type: 'status_code', status_code: { status_codes: ['ERROR'] } },
        { name: 'slow', type: 'latency', latency: { threshold_ms: 500 } },
        { name: 'some-of-the-rest', type: 'probabilistic', probabilistic: { sampling_percentage: 10 } },
      ],
    },
    batch: { send_batch_size: 1024, timeout: '5s' },
  },
  exporters: {
    'otlp/tempo': { endpoint: `${TEMPO}:4317`, tls: { insecure: true } },
    'otlp/jaeger': { endpoint: `${JAEGER}:4317`, tls: { insecure: true } },
  },
  extensions: { health_check: { endpoint: '0.0.0.0:13133' } },
  service: {
    extensions: ['health_check'],
    pipelines: {
      traces: {
        receivers: ['otlp'],
        processors: ['memory_limiter', 'tail_sampling', 'batch'],
        exporters: ['otlp/tempo', 'otlp/jaeger'],
      },
    },
  },
};

export function collectorValues(root: string): Record<string, unknown> {
  return {
    fullnameOverride: 'otel-collector',
    mode: 'deployment',
    replicaCount: 1,
    image: { repository: 'otel/opentelemetry-collector-contrib' },
    // Our pipeline replaces the chart's default one rather than merging into it.
    alternateConfig: composeConfig(root, 'collector') ?? DEFAULT_COLLECTOR,
    ports: {
      'otlp-http': {
        enabled: true,
        containerPort: OTLP_HTTP_PORT,
        servicePort: OTLP_HTTP_PORT,
        protocol: 'TCP',
      },
      otlp: { enabled: true, containerPort: 4317, servicePort: 4317, protocol: 'TCP' },
      'jaeger-compact': { enabled: false },
      'jaeger-thrift': { enabled: false },
      'jaeger-grpc': { enabled: false },
      zipkin: { enabled: false },
    },
    resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
  };
}

export function tempoValues(root: string): Record<string, unknown> {
  return {
    fullnameOverride: 'tempo',
    persistence: { enabled: true, size: '10Gi' },
    tempo: {
      retention: '72h',
      receivers: {
        otlp: { protocols: { grpc: { endpoint: '0.0.0.0:4317' }, http: { endpoint: '0.0.0.0:4318' } } },
      },
      // Span metrics and the service graph, for Grafana's service map and traces-to-metrics.
      metricsGenerator: {
        enabled: true,
        remoteWriteUrl: `http://monitoring-prometheus.${NAMESPACES.monitoring}.svc:9090/api/v1/write`,
      },
      ...(composeConfig(root, 'tempo') !== undefined && { structuredConfig: composeConfig(root, 'tempo') }),
    },
  };
}

export function jaegerValues(): Record<string, unknown> {
  return {
    fullnameOverride: 'jaeger',
    provisionDataStore: { cassandra: false, elasticsearch: false },
    allInOne: { enabled: true, extraEnv: [{ name: 'MEMORY_MAX_TRACES', value: '50000' }] },
    storage: { type: 'memory' },
    agent: { enabled: false },
    collector: { enabled: false },
    query: { enabled: false, service: { type: 'NodePort', nodePort: NODE_PORTS.jaeger } },
  };
}

/** Loki on one node with a 10 Gi volume; the prod values make it replicated. */
export function lokiValues(root: string): Record<string, unknown> {
  const off = { replicas: 0 };
  return {
    fullnameOverride: 'loki',
    deploymentMode: 'SingleBinary',
    loki: {
      auth_enabled: false,
      commonConfig: { replication_factor: 1 },
      storage: { type: 'filesystem' },
      schemaConfig: {
        configs: [
          {
            from: '2024-01-01',
            store: 'tsdb',
            object_store: 'filesystem',
            schema: 'v13',
            index: { prefix: 'index_', period: '24h' },
          },
        ],
      },
      limits_config: { allow_structured_metadata: true, volume_enabled: true, retention_period: '168h' },
      ...(composeConfig(root, 'loki') !== undefined && { structuredConfig: composeConfig(root, 'loki') }),
    },
    singleBinary: { replicas: 1, persistence: { enabled: true, size: '10Gi' } },
    read: off,
    write: off,
    backend: off,
    chunksCache: { enabled: false },
    resultsCache: { enabled: false },
    lokiCanary: { enabled: false },
    test: { enabled: false },
    gateway: { enabled: false },
  };
}

/** Seed 001's three Loki replicas: the simple scalable mode on the chart's MinIO. */
export function lokiProdValues(): Record<string, unknown> {
  const three = { replicas: 3, persistence: { size: '10Gi' } };
  return {
    deploymentMode: 'SimpleScalable',
    loki: {
      commonConfig: { replication_factor: 3 },
      storage: { type: 's3' },
      schemaConfig: {
        configs: [
          {
            from: '2024-01-01',
            store: 'tsdb',
            object_store: 's3',
            schema: 'v13',
            index: { prefix: 'index_', period: '24h' },
          },
        ],
      },
    },
    minio: { enabled: true, persistence: { size: '10Gi' } },
    singleBinary: { replicas: 0 },
    read: three,
    write: three,
    backend: three,
    gateway: { enabled: true },
  };
}

export function alloyValues(root: string, environment: string): Record<string, unknown> {
  const path = join(root, ALLOY_CONFIG);
  if (!existsSync(path)) throw new Error(`${ALLOY_CONFIG} is missing`);
  return {
    fullnameOverride: 'alloy',
    controller: { type: 'daemonset' },
    alloy: {
      configMap: { create: true, content: readFileSync(path, 'utf8') },
      extraEnv: [{ name: 'DEPLOYMENT_ENVIRONMENT', value: environment }],
      resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
    },
  };
}
