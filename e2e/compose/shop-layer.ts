import type { ServiceName, ServiceSpec } from '@glasshouse/kit';
import { SERVICES, addressVariable, serviceSpec } from '@glasshouse/kit';
import { IMAGES } from './images.js';
import type { ComposeLayer, ComposeService, DependsOn } from './model.js';
import { ENV_FILE, mebibytes, published, variable } from './model.js';

/** Memory (MiB) and CPU limits of each container of the shop; Node services idle near 60 MiB. */
export const SHOP_LIMITS: Readonly<
  Record<ServiceName | 'postgres' | 'redis' | 'flagd', readonly [number, number]>
> = {
  frontend: [112, 1],
  productcatalog: [96, 0.5],
  currency: [80, 0.5],
  cart: [80, 0.5],
  recommendation: [80, 0.5],
  ad: [72, 0.25],
  shipping: [72, 0.25],
  payment: [72, 0.25],
  email: [72, 0.25],
  checkout: [96, 0.5],
  orders: [88, 0.5],
  inventory: [88, 0.5],
  auth: [80, 0.5],
  loadgen: [80, 0.5],
  postgres: [256, 1],
  redis: [64, 0.25],
  flagd: [48, 0.25],
};

/** The database of each Postgres-owning service; the init script creates every one of them. */
export const DATABASES: Readonly<Partial<Record<ServiceName, string>>> = {
  productcatalog: 'catalog',
  payment: 'payment',
  orders: 'orders',
  inventory: 'inventory',
  auth: 'auth',
};

export const POSTGRES_USER = 'glasshouse';
export const POSTGRES_PASSWORD = variable('POSTGRES_PASSWORD', 'local-only-postgres-password');

/** Where the services of the compose network reach each other: the service name is the host. */
export const reachAt = (name: ServiceName): string => `${name}:${serviceSpec(name).port}`;

const healthy = (names: readonly string[]): DependsOn =>
  Object.fromEntries(names.map((name) => [name, { condition: 'service_healthy' as const }]));

/** The containers of the shop: one per implemented service of the table, all from one image. */
export function shopServices(): ServiceSpec[] {
  return SERVICES.filter((spec) => spec.implemented);
}

function shopService(spec: ServiceSpec): ComposeService {
  const [memory, cpus] = SHOP_LIMITS[spec.name];
  const database = DATABASES[spec.name];
  const environment: Record<string, string> = {
    SERVICE_VERSION: variable('GLASSHOUSE_VERSION', 'dev'),
    ...Object.fromEntries(spec.calls.map((peer) => [addressVariable(peer), reachAt(peer)])),
    // The failure flags (issue 19): evaluated in process, synced from flagd serving deploy/flags.
    FLAGD_HOST: 'flagd',
    FLAGD_PORT: '8015',
  };
  if (spec.store === 'postgres' && database) {
    environment.DATABASE_URL = `postgres://${POSTGRES_USER}:${POSTGRES_PASSWORD}@postgres:5432/${database}`;
  }
  if (spec.store === 'redis') environment.REDIS_URL = 'redis://redis:6379';
  // auth's bootstrap token (how the first admin is made), from the user's shell; without it auth
  // runs with none, since the read-only container cannot keep var/admin-token.
  if (spec.name === 'auth') environment.GLASSHOUSE_ADMIN_TOKEN = variable('GLASSHOUSE_ADMIN_TOKEN', '');
  const stores = spec.store === 'none' ? [] : [spec.store];
  const implementedCalls = spec.calls.filter((peer) => serviceSpec(peer).implemented);
  return {
    image: IMAGES.shop,
    build: { context: '../..', dockerfile: 'Dockerfile' },
    command: [spec.name],
    env_file: [ENV_FILE],
    environment,
    ...(spec.name === 'frontend' && { ports: [published('SHOP_PORT', spec.port)] }),
    expose: [...new Set([spec.port, spec.adminPort].filter((port) => port > 0))].map(String),
    ...(stores.length + implementedCalls.length > 0 && {
      depends_on: healthy([...stores, ...implementedCalls]),
    }),
    healthcheck: {
      test: ['CMD', 'node', '/app/image/healthcheck.mjs'],
      interval: '5s',
      timeout: '3s',
      retries: 6,
      start_period: '20s',
    },
    restart: 'unless-stopped',
    mem_limit: mebibytes(memory),
    cpus,
    read_only: true,
    tmpfs: ['/tmp'],
    cap_drop: ['ALL'],
    security_opt: ['no-new-privileges:true'],
    stop_grace_period: '15s',
  };
}

function postgres(): ComposeService {
  const [memory, cpus] = SHOP_LIMITS.postgres;
  return {
    image: IMAGES.postgres,
    environment: {
      POSTGRES_USER,
      POSTGRES_PASSWORD,
      POSTGRES_DB: POSTGRES_USER,
      GRAFANA_READER_PASSWORD: variable('GRAFANA_READER_PASSWORD', 'local-only-grafana-reader'),
      GLASSHOUSE_DATABASES: Object.values(DATABASES).join(' '),
    },
    volumes: ['postgres-data:/var/lib/postgresql/data', './postgres/init:/docker-entrypoint-initdb.d:ro'],
    expose: ['5432'],
    healthcheck: {
      // Over TCP: while the init scripts run, the server listens on its socket only, and the
      // services connect over TCP.
      test: [
        'CMD',
        'pg_isready',
        '--host',
        '127.0.0.1',
        '--username',
        POSTGRES_USER,
        '--dbname',
        POSTGRES_USER,
      ],
      interval: '5s',
      timeout: '3s',
      retries: 10,
      start_period: '20s',
    },
    restart: 'unless-stopped',
    mem_limit: mebibytes(memory),
    cpus,
    stop_grace_period: '30s',
  };
}

/** flagd serves deploy/flags to every service (the failure switches of issue 19). */
function flagd(): ComposeService {
  const [memory, cpus] = SHOP_LIMITS.flagd;
  return {
    image: IMAGES.flagd,
    command: ['start', '--uri', 'file:/etc/flagd/glasshouse.flagd.json'],
    volumes: ['../flags:/etc/flagd:ro'],
    expose: ['8013', '8014', '8015', '8016'],
    restart: 'unless-stopped',
    mem_limit: mebibytes(memory),
    cpus,
  };
}

function redis(): ComposeService {
  const [memory, cpus] = SHOP_LIMITS.redis;
  return {
    image: IMAGES.redis,
    // Carts are worth keeping across a restart, not worth an fsync per write.
    command: [
      'redis-server',
      '--save',
      '60',
      '1',
      '--maxmemory',
      '48mb',
      '--maxmemory-policy',
      'volatile-lru',
    ],
    volumes: ['redis-data:/data'],
    expose: ['6379'],
    healthcheck: {
      test: ['CMD', 'redis-cli', 'ping'],
      interval: '5s',
      timeout: '3s',
      retries: 10,
      start_period: '5s',
    },
    restart: 'unless-stopped',
    mem_limit: mebibytes(memory),
    cpus,
  };
}

/** deploy/compose/shop.yaml: the shop alone, with its stores. */
export function shopLayer(): ComposeLayer {
  return {
    file: 'shop.yaml',
    summary: 'the shop: every service of the table, PostgreSQL (one database per owner) and Redis',
    content: {
      services: {
        ...Object.fromEntries(shopServices().map((spec) => [spec.name, shopService(spec)])),
        postgres: postgres(),
        redis: redis(),
        flagd: flagd(),
      },
      volumes: { 'postgres-data': {}, 'redis-data': {} },
    },
  };
}
