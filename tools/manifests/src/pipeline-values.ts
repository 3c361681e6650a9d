import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { rewriteAddresses } from './hosts.js';
import { NODE_PORTS } from './monitoring-values.js';
import { NAMESPACES, OTLP_HTTP_PORT } from './shop.js';

export const ALLOY_CONFIG = 'tools/manifests/alloy/kubernetes.alloy';
/** The compose stack's pipeline configs, embedded when they exist (one source for both stacks). */
export const PIPELINE_SOURCES = {
  collector: 'deploy/collector/config.yaml',
  tempo: 'deploy/tempo/tempo.yaml',
  loki: 'deploy/loki/loki.yaml',
} as const;
/** The compose stack's environment files (`deploy/env/<name>.env`), read for the same settings. */
export const ENV_DIR = 'deploy/env';
/** Settings the pipeline configs read from the environment, when no env file gives them. */
const ENV_FALLBACKS: Readonly<Record<string, string>> = {
  TAIL_SAMPLING_PERCENT: '10',
  COLLECTOR_DEBUG_VERBOSITY: 'basic',
};

const TEMPO = `tempo.${NAMESPACES.observability}.svc`;
const JAEGER = `jaeger-collector.${NAMESPACES.observability}.svc`;

/** `KEY=value` lines of deploy/env/<name>.env; empty when the file is not there. */
export function environmentFile(root: string, name: string): Record<string, string> {
  const path = join(root, ENV_DIR, `${name}.env`);
  if (!existsSync(path)) return {};
  return Object.fromEntries(
    readFileSync(path, 'utf8')
      .split('\n')
      .map((line) => /^\s*([A-Z][A-Z0-9_]*)=(.*)$/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1] ?? '', (m[2] ?? '').trim().replace(/^(['"])(.*)\1$/, '$2')]),
  );
}

/** `${VAR:-default}` (Loki's and Tempo's -config.expand-env) resolved from the env file, else the default. */
function expandDefaults(text: string, env: Readonly<Record<string, string>>): string {
  return text.replace(
    /\$\{([A-Z][A-Z0-9_]*):-([^}]*)\}/g,
    (_, name: string, fallback: string) => env[name] ?? fallback,
  );
}

/** A compose pipeline config, parsed, its defaults resolved and its hosts moved into the cluster. */
export function composeConfig(
  root: string,
  kind: keyof typeof PIPELINE_SOURCES,
  env: Readonly<Record<string, string>> = {},
): unknown {
  const path = join(root, PIPELINE_SOURCES[kind]);
  if (!existsSync(path)) return undefined;
  return rewriteAddresses(parse(expandDefaults(readFileSync(path, 'utf8'), env)));
}

/** The `${env:NAME}` variables a collector config reads, with their values for one environment. */
export function collectorEnvironment(root: string, environment: string): { name: string; value: string }[] {
  const path = join(root, PIPELINE_SOURCES.collector);
  if (!existsSync(path)) return [];
  const env = environmentFile(root, environment);
  const names = [
    ...new Set(
      [...readFileSync(path, 'utf8').matchAll(/\$\{env:([A-Z][A-Z0-9_]*)\}/g)].map((m) => m[1] ?? ''),
    ),
  ];
  return names.sort().map((name) => ({ name, value: env[name] ?? ENV_FALLBACKS[name] ?? '' }));
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
    // The contrib build: tail sampling and the vendors' exporters live there.
    command: { name: 'otelcol-contrib' },
    // Our pipeline replaces the chart's default one rather than merging into it.
    alternateConfig: composeConfig(root, 'collector') ?? DEFAULT_COLLECTOR,
    extraEnvs: collectorEnvironment(root, 'dev'),
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

interface TempoSource {
  distributor?: { receivers?: unknown };
  compactor?: { compaction?: { block_retention?: string } };
  metrics_generator?: { storage?: { remote_write?: { url?: string }[] } };
  overrides?: unknown;
}

/** Tempo on one node; receivers, retention and the metrics generator's target from the compose config. */
export function tempoValues(root: string): Record<string, unknown> {
  const source = (composeConfig(root, 'tempo', environmentFile(root, 'dev')) ?? {}) as TempoSource;
  const prometheus = `http://monitoring-prometheus.${NAMESPACES.monitoring}.svc:9090/api/v1/write`;
  return {
    fullnameOverride: 'tempo',
    persistence: { enabled: true, size: '10Gi' },
    tempo: {
      retention: source.compactor?.compaction?.block_retention ?? '72h',
      receivers: source.distributor?.receivers ?? {
        otlp: { protocols: { grpc: { endpoint: '0.0.0.0:4317' }, http: { endpoint: '0.0.0.0:4318' } } },
      },
      // Span metrics and the service graph, for Grafana's service map and traces-to-metrics.
      metricsGenerator: {
        enabled: true,
        remoteWriteUrl: source.metrics_generator?.storage?.remote_write?.[0]?.url ?? prometheus,
      },
      ...(source.overrides !== undefined && { overrides: source.overrides }),
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

interface LokiSource {
  limits_config?: unknown;
  compactor?: Record<string, unknown>;
  analytics?: unknown;
}

function lokiPolicies(root: string): Record<string, unknown> | undefined {
  const source = composeConfig(root, 'loki', environmentFile(root, 'dev')) as LokiSource | undefined;
  if (!source) return undefined;
  // Where the compactor works is the chart's to say, like every other path.
  const compactor = { ...source.compactor };
  delete compactor.working_directory;
  return { limits_config: source.limits_config, compactor, analytics: source.analytics };
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
      // The compose config's policies (retention, limits, schema); the chart owns paths, ring and storage.
      ...(lokiPolicies(root) && { structuredConfig: lokiPolicies(root) }),
    },
    singleBinary: { replicas: 1, persistence: { enabled: true, size: '10Gi' } },
    read: off,
    write: off,
    backend: off,
    chunksCache: { enabled: false },
    resultsCache: { enabled: false },
    lokiCanary: { enabled: false },
    test: { enabled: false },
    gateway: { enabled: true, service: { port: 3100 } },
  };
}

/** Seed 001's three Loki replicas: the simple scalable mode on the chart's MinIO. */
export function lokiProdValues(): Record<string, unknown> {
  const three = { replicas: 3, persistence: { size: '10Gi' } };
  return {
    deploymentMode: 'SimpleScalable',
    loki: {
      commonConfig: { replication_factor: 3 },
      structuredConfig: { compactor: { delete_request_store: 's3' } },
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
