import { IMAGES } from './images.js';
import type { ComposeLayer, ComposeService, Healthcheck } from './model.js';
import { ENV_FILE, mebibytes, published, variable } from './model.js';
import { POSTGRES_PASSWORD, POSTGRES_USER, shopServices } from './shop-layer.js';

/** Memory (MiB) and CPU limits of the watchers, sized for a laptop demo's retention. */
export const WATCHER_LIMITS = {
  prometheus: [288, 1],
  alertmanager: [48, 0.25],
  grafana: [192, 0.5],
  loki: [192, 0.5],
  alloy: [160, 0.5],
  tempo: [192, 0.5],
  jaeger: [160, 0.5],
  'otel-collector': [160, 0.5],
  'node-exporter': [32, 0.1],
  'postgres-exporter': [32, 0.1],
  'redis-exporter': [32, 0.1],
  'alert-webhook': [48, 0.1],
} as const satisfies Record<string, readonly [number, number]>;

type Watcher = keyof typeof WATCHER_LIMITS;

/** Where every service sends its spans (OTLP over HTTP). */
export const OTLP_ENDPOINT = 'http://otel-collector:4318';

const probe = (url: string): Healthcheck => ({
  test: ['CMD', 'wget', '--quiet', '--spider', url],
  interval: '10s',
  timeout: '3s',
  retries: 6,
  start_period: '20s',
});

function watcher(name: Watcher, service: ComposeService): ComposeService {
  const [memory, cpus] = WATCHER_LIMITS[name];
  return {
    image: name === 'alert-webhook' ? IMAGES.shop : IMAGES[name],
    env_file: [ENV_FILE],
    ...service,
    restart: 'unless-stopped',
    mem_limit: mebibytes(memory),
    cpus,
  };
}

const services: Record<Watcher, ComposeService> = {
  prometheus: watcher('prometheus', {
    // Through a shell so that the retention comes from the environment's env file.
    entrypoint: ['/bin/sh', '-c'],
    command: [
      [
        'exec /bin/prometheus',
        '--config.file=/etc/prometheus/prometheus.yml',
        '--storage.tsdb.path=/prometheus',
        '--storage.tsdb.retention.time=$${PROMETHEUS_RETENTION:-15d}',
        '--enable-feature=exemplar-storage',
        '--web.enable-remote-write-receiver',
        '--web.enable-lifecycle',
      ].join(' '),
    ],
    volumes: [
      './prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro',
      '../prometheus/rules:/etc/prometheus/rules:ro',
      'prometheus-data:/prometheus',
    ],
    ports: [published('PROMETHEUS_PORT', 9090)],
    healthcheck: probe('http://localhost:9090/-/ready'),
  }),
  alertmanager: watcher('alertmanager', {
    command: ['--config.file=/etc/alertmanager/stack.yml', '--storage.path=/alertmanager'],
    volumes: ['../alertmanager:/etc/alertmanager:ro', 'alertmanager-data:/alertmanager'],
    ports: [published('ALERTMANAGER_PORT', 9093)],
    healthcheck: probe('http://localhost:9093/-/ready'),
  }),
  grafana: watcher('grafana', {
    environment: {
      GF_SECURITY_ADMIN_USER: 'admin',
      GF_SECURITY_ADMIN_PASSWORD: variable('GRAFANA_ADMIN_PASSWORD', 'local-only-admin-password'),
      GF_AUTH_ANONYMOUS_ENABLED: 'true',
      GF_AUTH_ANONYMOUS_ORG_ROLE: 'Viewer',
      GF_USERS_ALLOW_SIGN_UP: 'false',
      GF_METRICS_ENABLED: 'true',
      // Read by the PostgreSQL data sources of deploy/grafana/provisioning.
      GLASSHOUSE_GRAFANA_DB_USER: 'grafana_reader',
      GLASSHOUSE_GRAFANA_DB_PASSWORD: variable('GRAFANA_READER_PASSWORD', 'local-only-grafana-reader'),
    },
    volumes: [
      '../grafana/provisioning:/etc/grafana/provisioning:ro',
      '../grafana/dashboards:/var/lib/grafana/dashboards:ro',
      'grafana-data:/var/lib/grafana',
    ],
    ports: [published('GRAFANA_PORT', 3000)],
    depends_on: { prometheus: { condition: 'service_healthy' } },
    healthcheck: probe('http://localhost:3000/api/health'),
  }),
  loki: watcher('loki', {
    command: ['-config.file=/etc/loki/loki.yaml', '-config.expand-env=true'],
    volumes: ['../loki:/etc/loki:ro', 'loki-data:/loki'],
    ports: [published('LOKI_PORT', 3100)],
  }),
  alloy: watcher('alloy', {
    command: [
      'run',
      '--server.http.listen-addr=0.0.0.0:12345',
      '--storage.path=/var/lib/alloy/data',
      '/etc/alloy/config.alloy',
    ],
    // Reads every container's stdout through the engine's API.
    volumes: [
      '../alloy:/etc/alloy:ro',
      '/var/run/docker.sock:/var/run/docker.sock:ro',
      'alloy-data:/var/lib/alloy/data',
    ],
    expose: ['12345'],
    depends_on: { loki: { condition: 'service_started' } },
  }),
  tempo: watcher('tempo', {
    command: ['-config.file=/etc/tempo/tempo.yaml', '-config.expand-env=true'],
    volumes: ['../tempo:/etc/tempo:ro', 'tempo-data:/var/tempo'],
    ports: [published('TEMPO_PORT', 3200)],
    expose: ['4317', '4318'],
  }),
  jaeger: watcher('jaeger', {
    command: ['--config=/etc/jaeger/config.yaml'],
    volumes: ['../jaeger:/etc/jaeger:ro'],
    ports: [published('JAEGER_PORT', 16686)],
    expose: ['4317', '4318', '8888', '13133'],
  }),
  'otel-collector': watcher('otel-collector', {
    command: ['--config=/etc/otelcol/config.yaml'],
    volumes: ['../collector:/etc/otelcol:ro'],
    expose: ['4317', '4318', '8888', '13133'],
    depends_on: { tempo: { condition: 'service_started' }, jaeger: { condition: 'service_started' } },
  }),
  // Alertmanager's default receiver (deploy/alertmanager/stack.yml): alerts as log lines.
  'alert-webhook': watcher('alert-webhook', {
    // Built like the services: a Compose without the image would otherwise try to pull it.
    build: { context: '../..', dockerfile: 'Dockerfile' },
    entrypoint: ['node', '/app/image/alert-webhook.mjs'],
    expose: ['9095'],
    healthcheck: {
      test: [
        'CMD',
        'node',
        '-e',
        "fetch('http://127.0.0.1:9095/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))",
      ],
      interval: '10s',
      timeout: '3s',
      retries: 3,
      start_period: '10s',
    },
    read_only: true,
    cap_drop: ['ALL'],
    security_opt: ['no-new-privileges:true'],
  }),
  'node-exporter': watcher('node-exporter', {
    command: ['--path.rootfs=/host'],
    // Read-only, without mount propagation, which not every engine's root mount allows.
    volumes: ['/:/host:ro'],
    expose: ['9100'],
  }),
  'postgres-exporter': watcher('postgres-exporter', {
    environment: {
      DATA_SOURCE_URI: `postgres:5432/${POSTGRES_USER}?sslmode=disable`,
      DATA_SOURCE_USER: POSTGRES_USER,
      DATA_SOURCE_PASS: POSTGRES_PASSWORD,
    },
    expose: ['9187'],
    depends_on: { postgres: { condition: 'service_healthy' } },
  }),
  'redis-exporter': watcher('redis-exporter', {
    environment: { REDIS_ADDR: 'redis://redis:6379' },
    expose: ['9121'],
    depends_on: { redis: { condition: 'service_healthy' } },
  }),
};

/** deploy/compose/observability.yaml: every backend that watches the shop, and the shop's OTLP export. */
export function watchersLayer(): ComposeLayer {
  const exporting = Object.fromEntries(
    shopServices().map((spec) => [
      spec.name,
      { environment: { OTEL_EXPORTER_OTLP_ENDPOINT: OTLP_ENDPOINT } },
    ]),
  );
  return {
    file: 'observability.yaml',
    summary:
      'the watchers: Prometheus, Alertmanager, Grafana, Loki, Alloy, Tempo, Jaeger, the Collector, exporters',
    content: {
      services: { ...exporting, ...services },
      volumes: {
        'prometheus-data': {},
        'alertmanager-data': {},
        'grafana-data': {},
        'loki-data': {},
        'alloy-data': {},
        'tempo-data': {},
      },
    },
  };
}
