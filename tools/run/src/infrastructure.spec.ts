import assert from 'node:assert/strict';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { startExporters } from './exporters.js';
import { startGrafana } from './grafana-start.js';
import { LEVELS, Terminal } from './log-pipe.js';
import type { ObservabilityContext } from './observability.js';
import { freePort } from '@glasshouse/kit/testing';
import { prometheusConfig } from './prometheus-config.js';
import { Stack } from './stack.js';

const REPO = join(__dirname, '..', '..', '..');

/**
 * A stand-in for an exporter or Grafana: records its arguments, the variables the runner sets
 * and (for Grafana) every provisioning file into <its own path>.json, then answers 200 on the
 * address it was given until SIGTERM.
 */
const STAND_IN = `#!${process.execPath}
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const args = process.argv.slice(2);
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => /^(GF_|GLASSHOUSE_|DATA_SOURCE_NAME|REDIS_ADDR)/.test(k)));
const files = {};
const walk = (dir, prefix) => {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, prefix + entry.name + '/');
    else files[prefix + entry.name] = fs.readFileSync(full, 'utf8');
  }
};
if (env.GF_PATHS_PROVISIONING) walk(env.GF_PATHS_PROVISIONING, '');
fs.writeFileSync(__filename + '.json', JSON.stringify({ args, env, files }));
const flag = args.findIndex((a) => a.includes('web.listen-address'));
const listen = env.GF_SERVER_HTTP_PORT
  ? env.GF_SERVER_HTTP_ADDR + ':' + env.GF_SERVER_HTTP_PORT
  : (args[flag].includes('=') ? args[flag].split('=')[1] : args[flag + 1]);
const [host, port] = [listen.slice(0, listen.lastIndexOf(':')), Number(listen.slice(listen.lastIndexOf(':') + 1))];
const server = http.createServer((req, res) => res.writeHead(200).end('ok'));
server.listen(port, host);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

interface StandInRecord {
  readonly args: string[];
  readonly env: Readonly<Partial<Record<string, string>>>;
  readonly files: Readonly<Partial<Record<string, string>>>;
}

function setUp(t: TestContext, binaries: readonly string[]) {
  const root = mkdtempSync(join(tmpdir(), 'glasshouse-infrastructure-'));
  const bin = join(root, 'bin');
  mkdirSync(bin);
  for (const name of binaries) {
    writeFileSync(join(bin, name), STAND_IN);
    chmodSync(join(bin, name), 0o755);
  }
  cpSync(join(REPO, 'deploy', 'grafana'), join(root, 'deploy', 'grafana'), { recursive: true });
  const lines: string[] = [];
  const out = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const terminal = new Terminal(out, { width: 17, color: false, minLevel: LEVELS.debug });
  const stack = new Stack({ terminal, logDir: join(root, 'log'), cwd: root, stopTimeoutMs: 2000 });
  const halt = new AbortController();
  const context: ObservabilityContext = {
    stack,
    terminal,
    root,
    halt: halt.signal,
    servers: [],
    scrapeInterval: '15s',
    readyTimeoutMs: 10_000,
  };
  t.after(async () => {
    await stack.stopAll();
    rmSync(root, { recursive: true, force: true });
  });
  const record = (name: string): StandInRecord =>
    JSON.parse(readFileSync(join(bin, `${name}.json`), 'utf8')) as StandInRecord;
  return { root, bin, context, lines, record };
}

describe('the exporters of an embedded run', () => {
  const binaries = ['prometheus-node-exporter', 'prometheus-postgres-exporter', 'prometheus-redis-exporter'];

  it('start on loopback with the stores they watch, and Prometheus scrapes each', async (t) => {
    const { bin, context, record } = setUp(t, binaries);
    const ports = {
      'node-exporter': await freePort(),
      'postgres-exporter': await freePort(),
      'redis-exporter': await freePort(),
    };
    const started = await startExporters(context, {
      databaseUrl: 'postgres://shop:local-only@127.0.0.1:5432/glasshouse',
      redisUrl: 'redis://127.0.0.1:6379/2',
      pathVariable: bin,
      ports,
    });
    const rows = await started.ready;
    assert.deepEqual(
      rows.map((row) => row.name),
      ['node-exporter', 'postgres-exporter', 'redis-exporter'],
    );
    assert.deepEqual(record('prometheus-node-exporter').args, [
      `--web.listen-address=127.0.0.1:${ports['node-exporter']}`,
    ]);
    const postgres = record('prometheus-postgres-exporter');
    assert.deepEqual(postgres.args, [`--web.listen-address=127.0.0.1:${ports['postgres-exporter']}`]);
    assert.equal(
      postgres.env.DATA_SOURCE_NAME,
      'postgres://shop:local-only@127.0.0.1:5432/glasshouse?sslmode=disable',
    );
    const redis = record('prometheus-redis-exporter');
    assert.deepEqual(redis.args, ['-web.listen-address', `127.0.0.1:${ports['redis-exporter']}`]);
    assert.equal(redis.env.REDIS_ADDR, 'redis://127.0.0.1:6379/2');

    const config = prometheusConfig(started.scraped, { scrapeInterval: '15s', ruleFiles: [] });
    for (const [name, port] of Object.entries(ports)) {
      const job = config.scrape_configs.find((j) => j.job_name === name);
      assert.deepEqual(job?.static_configs, [
        { targets: [`127.0.0.1:${port}`], labels: { service: name, namespace: 'glasshouse' } },
      ]);
    }
  });

  it('leave out the store exporters when the run has no PostgreSQL or Redis', async (t) => {
    const { bin, context } = setUp(t, binaries);
    const started = await startExporters(context, {
      pathVariable: bin,
      ports: { 'node-exporter': await freePort() },
    });
    assert.deepEqual(
      started.scraped.map((s) => s.name),
      ['node-exporter'],
    );
    assert.equal((await started.ready).length, 1);
  });

  it('name the packages to install when none is on PATH', async (t) => {
    const { bin, context, lines } = setUp(t, []);
    const started = await startExporters(context, { pathVariable: bin });
    assert.deepEqual(started.scraped, []);
    assert.ok(lines.some((line) => line.includes('apt-get install prometheus-node-exporter')));
  });
});

describe('Grafana in an embedded run', () => {
  it('starts with the repository’s provisioning, rendered for the embedded Prometheus', async (t) => {
    const { root, bin, context, record } = setUp(t, ['grafana']);
    const port = await freePort();
    const rows = await startGrafana(context, {
      prometheusUrl: 'http://127.0.0.1:19090',
      alertmanagerUrl: 'http://127.0.0.1:19093',
      databaseUrl: 'postgres://shop:local-only@127.0.0.1:5433/glasshouse',
      pathVariable: bin,
      port,
    });
    assert.deepEqual(rows, [
      { name: 'grafana', protocol: 'http', address: `127.0.0.1:${port}`, link: `http://127.0.0.1:${port}` },
    ]);
    const { args, env, files } = record('grafana');
    assert.equal(args[0], 'server');
    assert.equal(env.GF_PATHS_PROVISIONING, join(root, 'var', 'grafana', 'provisioning'));
    assert.equal(env.GF_SERVER_HTTP_PORT, String(port));
    assert.equal(env.GF_SERVER_HTTP_ADDR, '127.0.0.1');
    assert.equal(env.GF_AUTH_ANONYMOUS_ENABLED, 'true');
    assert.equal(env.GLASSHOUSE_GRAFANA_DB_USER, 'shop');
    assert.equal(env.GLASSHOUSE_GRAFANA_DB_PASSWORD, 'local-only');
    assert.ok(existsSync(env.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH ?? ''));

    const datasources = parseYaml(files['datasources/glasshouse.yaml'] ?? '') as {
      datasources: { uid: string; url: string; jsonData?: { database?: string } }[];
    };
    const byUid = new Map(datasources.datasources.map((d) => [d.uid, d]));
    assert.equal(byUid.get('prometheus')?.url, 'http://127.0.0.1:19090');
    assert.equal(byUid.get('alertmanager')?.url, 'http://127.0.0.1:19093');
    assert.equal(byUid.get('loki')?.url, 'http://127.0.0.1:3100');
    assert.equal(byUid.get('tempo')?.url, 'http://127.0.0.1:3200');
    for (const uid of ['postgres-orders', 'postgres-inventory']) {
      assert.equal(byUid.get(uid)?.url, '127.0.0.1:5433');
      // Embedded, every schema lives in the one database of DATABASE_URL.
      assert.equal(byUid.get(uid)?.jsonData?.database, 'glasshouse');
    }
    assert.doesNotMatch(files['datasources/glasshouse.yaml'] ?? '', /prometheus:9090|postgres:5432/);
    // The correlations' literal dollars stay escaped for Grafana.
    assert.match(files['datasources/glasshouse.yaml'] ?? '', /\$\$\{__value\.raw\}/);

    const providers = parseYaml(files['dashboards/glasshouse.yaml'] ?? '') as {
      providers: { options: { path: string; foldersFromFilesStructure: boolean } }[];
    };
    const path = providers.providers[0]?.options.path ?? '';
    assert.equal(path, join(root, 'deploy', 'grafana', 'dashboards'));
    assert.ok(existsSync(join(path, 'Shop', 'overview.json')));
    assert.equal(providers.providers[0]?.options.foldersFromFilesStructure, true);
  });

  it('runs an older grafana-server without the server command', async (t) => {
    const { bin, context, record } = setUp(t, ['grafana-server']);
    const rows = await startGrafana(context, {
      prometheusUrl: 'http://127.0.0.1:19090',
      alertmanagerUrl: 'http://127.0.0.1:19093',
      pathVariable: bin,
      port: await freePort(),
    });
    assert.equal(rows.length, 1);
    assert.ok(!record('grafana-server').args.includes('server'));
    assert.equal(record('grafana-server').env.GLASSHOUSE_GRAFANA_DB_USER, '');
  });

  it('is left out, silently, when no Grafana is on PATH', async (t) => {
    const { bin, context, lines } = setUp(t, []);
    const rows = await startGrafana(context, {
      prometheusUrl: 'http://127.0.0.1:19090',
      alertmanagerUrl: 'http://127.0.0.1:19093',
      pathVariable: bin,
    });
    assert.deepEqual(rows, []);
    assert.deepEqual(lines, []);
  });
});
