import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { SERVICES, adminAddressVariable } from '@glasshouse/kit';
import { TEST_POSTGRES_URL, TEST_REDIS_URL, freePort } from '@glasshouse/kit/testing';
import type { ProcessShop } from '@glasshouse/testing';
import { startProcessShop } from '@glasshouse/testing';
import type { Customers } from './support/customers.js';
import { startCustomers } from './support/customers.js';
import { launchChromium, visitShop } from './support/shopper-browser.js';
import { METRICS } from '../packages/kit/src/telemetry/registry.js';
import { allBoards } from '../tools/dashboards/src/catalog.js';
import { EXEMPLAR_TRACE_ID_LABEL, TRACE_ID_IN_LOG_LINE } from '../tools/dashboards/src/datasources.js';
import type { Expansion } from '../tools/dashboards/src/expand.js';
import { expandQuery, variablesOf } from '../tools/dashboards/src/expand.js';
import type { ExtractedQuery } from '../tools/dashboards/src/extract.js';
import { parseLabelValues, queriesOf } from '../tools/dashboards/src/extract.js';
import { metricNames } from '../tools/dashboards/src/metric-names.js';
import { EXPORTERS, exporterLaunch } from '../tools/run/src/exporters.js';
import { findExecutable, findRuleFiles, ruleFileProblem } from '../tools/run/src/observability.js';
import type { ScrapedService } from '../tools/run/src/prometheus-config.js';
import { prometheusConfig, toYaml } from '../tools/run/src/prometheus-config.js';

/**
 * Every query of every dashboard against the real thing: the shop as processes on PostgreSQL
 * and Redis under the load generator, the Debian exporters, and a Prometheus scraping them all
 * every second with the repository's rules. PromQL must return data for every value of its
 * variables that emits its metrics; SQL must return rows of the shape its panel draws.
 */

const ROOT = join(__dirname, '..');
const DATA_DEADLINE_MS = 150_000;
const boards = allBoards();
const queries = boards.flatMap(queriesOf);

/** Who emits each metric of ours, by the registry; an exporter's or a rule's metric has no entry. */
function emitters(): Map<string, Set<string>> {
  const grpc = SERVICES.filter((s) => s.protocol === 'grpc').map((s) => s.name);
  const all = SERVICES.map((s) => s.name);
  const map = new Map<string, Set<string>>();
  for (const [group, entries] of Object.entries(METRICS)) {
    for (const entry of entries ?? []) {
      const who =
        entry.emittedBy === 'every service'
          ? all
          : entry.emittedBy === 'every gRPC service'
            ? grpc
            : (entry.emittedBy ?? [group]);
      const names =
        entry.type === 'histogram'
          ? [`${entry.name}_bucket`, `${entry.name}_count`, `${entry.name}_sum`]
          : [entry.name];
      for (const name of names) {
        const set = map.get(name) ?? new Set<string>();
        for (const service of who) set.add(service);
        map.set(name, set);
      }
    }
  }
  return map;
}
const EMITTERS = emitters();

/** Whether `service` emits every metric of ours that `expr` reads. */
const emitsAll = (expr: string, service: string): boolean =>
  metricNames(expr).every((name) => EMITTERS.get(name)?.has(service) ?? true);

class Children {
  private readonly children: ChildProcess[] = [];
  readonly output = new Map<string, string[]>();

  start(name: string, command: string, args: readonly string[], env: Readonly<Record<string, string>>): void {
    const child = spawn(command, args, {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    this.output.set(name, lines);
    const keep = (chunk: Buffer) =>
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean).slice(-20));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.children.push(child);
  }

  async stopAll(): Promise<void> {
    await Promise.all(
      this.children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      ),
    );
  }
}

async function poll<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = undefined;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

interface PromResponse {
  status: 'success' | 'error';
  error?: string;
  data: { resultType?: string; result?: unknown[] } | string[];
}

describe('every dashboard query against the running shop', { timeout: 240_000 }, () => {
  const children = new Children();
  const database = `glasshouse_dashboards_${randomBytes(4).toString('hex')}`;
  const reader = `grafana_reader_${randomBytes(4).toString('hex')}`;
  const databaseUrl = (() => {
    const url = new URL(TEST_POSTGRES_URL);
    url.pathname = `/${database}`;
    return url.toString();
  })();
  const readerUrl = (() => {
    const url = new URL(databaseUrl);
    url.username = reader;
    url.password = '';
    return url.toString();
  })();
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  let shop: ProcessShop | undefined;
  let customers: Customers | undefined;
  let prometheusUrl = '';
  let dataDir = '';
  let expansion: Expansion;
  /** Values of each variable, as Prometheus lists them. */
  const values = new Map<string, string[]>();

  const prom = async (path: string, params: Record<string, string>): Promise<PromResponse> => {
    const response = await fetch(`${prometheusUrl}${path}?${new URLSearchParams(params).toString()}`);
    return (await response.json()) as PromResponse;
  };

  const evaluate = async (
    query: ExtractedQuery,
    variables: Record<string, string>,
  ): Promise<PromResponse> => {
    const expr = expandQuery(query.text, { ...expansion, variables });
    const now = Date.now() / 1000;
    return query.instant || query.annotation
      ? prom('/api/v1/query', { query: expr, time: String(now) })
      : prom('/api/v1/query_range', { query: expr, start: String(now - 60), end: String(now), step: '5' });
  };

  before(async () => {
    const prometheus = findExecutable(['prometheus'], process.env.PATH);
    assert.ok(prometheus, 'prometheus is not on PATH (apt-get install prometheus)');
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    // A database index of its own, so the test's carts (which expire) stay apart from other specs' keys.
    const redisUrl = new URL('/9', TEST_REDIS_URL).toString();
    shop = await startProcessShop({
      databaseUrl,
      redisUrl,
      // Info lines inside traces (orders placed, refusals) feed the derived-field check.
      logLevel: 'info',
      // No supplier during the test: the seeded low-stock products stay low for their panel.
      // No sign-in limit: the test's customers all sign in from 127.0.0.1.
      env: { INVENTORY_RESTOCK_INTERVAL_MS: '0', SIGNIN_RATE_LIMIT: '0' },
    });

    // The read-only login Grafana uses: may read the two schemas, nothing else.
    await admin.query(`CREATE ROLE ${reader} LOGIN`);
    const owner = new pg.Client({ connectionString: databaseUrl });
    await owner.connect();
    try {
      for (const schema of ['orders', 'inventory']) {
        await owner.query(`GRANT USAGE ON SCHEMA ${schema} TO ${reader}`);
        await owner.query(`GRANT SELECT ON ALL TABLES IN SCHEMA ${schema} TO ${reader}`);
      }
    } finally {
      await owner.end();
    }

    // Shoppers in a real browser, one of them the load generator's: the Web Vitals panels read
    // what the shop's browser bundle reports.
    const browser = await launchChromium();
    try {
      await visitShop(browser, shop.url, 'OLJCESPC7Z');
      await visitShop(browser, shop.url, '66VCHSJNUP', true);
    } finally {
      await browser.close();
    }

    const scraped: ScrapedService[] = Object.entries(shop.admin).map(([name, url]) => {
      const { hostname, port } = new URL(url);
      return { name, adminHost: hostname, adminPort: Number(port) };
    });
    const loadgenAdmin = await freePort();
    children.start('loadgen', process.execPath, [join(ROOT, 'services', 'loadgen', 'dist', 'main.js')], {
      [adminAddressVariable('loadgen')]: `127.0.0.1:${loadgenAdmin}`,
      LOADGEN_TARGET_URL: shop.url,
      LOADGEN_SHOPPERS: '6',
      LOADGEN_THINK_MS: '100',
      LOADGEN_INVALID_RATE: '0.1',
      LOADGEN_DURATION_S: '300',
      LOG_LEVEL: 'warn',
      OTEL_SERVICE_NAME: 'loadgen',
    });
    scraped.push({ name: 'loadgen', adminHost: '127.0.0.1', adminPort: loadgenAdmin });

    for (const spec of EXPORTERS) {
      const binary = findExecutable(spec.binaries, process.env.PATH);
      assert.ok(binary, `${spec.binaries[0]} is not on PATH (apt-get install ${spec.binaries[0]})`);
      const launch = exporterLaunch(spec, binary, { databaseUrl, redisUrl }, '127.0.0.1', await freePort());
      assert.ok(launch, spec.name);
      children.start(spec.name, launch.command, launch.args, launch.env);
      scraped.push(launch.scraped);
    }

    const promtool = findExecutable(['promtool'], process.env.PATH);
    assert.ok(promtool, 'promtool is not on PATH');
    const rules = [];
    for (const file of findRuleFiles(join(ROOT, 'deploy', 'prometheus', 'rules'))) {
      if ((await ruleFileProblem(promtool, file)) === undefined) rules.push(file);
    }
    dataDir = mkdtempSync(join(tmpdir(), 'glasshouse-dashboards-prometheus-'));
    const configFile = join(dataDir, 'prometheus.yml');
    writeFileSync(configFile, toYaml(prometheusConfig(scraped, { scrapeInterval: '1s', ruleFiles: rules })));
    const port = await freePort();
    prometheusUrl = `http://127.0.0.1:${port}`;
    children.start(
      'prometheus',
      prometheus,
      [
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${join(dataDir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--enable-feature=exemplar-storage',
      ],
      {},
    );
    await poll('Prometheus to be ready', 30_000, async () =>
      (await fetch(`${prometheusUrl}/-/ready`)).ok ? true : undefined,
    );
    // Accounts in use while the queries run: auth's panels read these calls (the shoppers have none).
    customers = startCustomers(shop.url);
    expansion = {
      variables: {},
      rateInterval: '20s',
      interval: '5s',
      range: '5m',
      from: new Date(Date.now() - 24 * 3600_000),
      to: new Date(Date.now() + 3600_000),
    };
  });

  after(async () => {
    await customers?.stop();
    await children.stopAll();
    await shop?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
    await admin.query(`DROP ROLE IF EXISTS ${reader}`).catch(() => undefined);
    await admin.end();
  });

  it('lists a value for every variable', async () => {
    const shopServices = [...SERVICES.filter((s) => s.implemented && s.protocol !== 'worker'), 'loadgen'].map(
      (s) => (typeof s === 'string' ? s : s.name),
    );
    const expected: Record<string, readonly string[]> = {
      service: shopServices,
      slo: ['checkout-availability', 'checkout-latency', 'product-page-latency', 'shop-availability'],
    };
    const variables = queries.filter(
      (q) => q.language === 'label_values' && q.datasourceUid === 'prometheus',
    );
    assert.ok(variables.length >= 2);
    let last = '';
    await poll('every variable to list its values', DATA_DEADLINE_MS, async () => {
      for (const query of variables) {
        const { selector, label } = parseLabelValues(query.text);
        const answer = await prom(`/api/v1/label/${label}/values`, selector ? { 'match[]': selector } : {});
        const found = answer.status === 'success' ? (answer.data as string[]) : [];
        values.set(label, found);
        last = `${label}: ${found.join(', ')}`;
        if (!(expected[label] ?? []).every((value) => found.includes(value)) || found.length === 0)
          return undefined;
      }
      return true;
    }).catch((error: unknown) => assert.fail(`${String(error)} (last seen ${last})`));
  });

  it('gets data for every PromQL query, for each value of its variables that emits its metrics', async (t) => {
    const promql = queries.filter((q) => q.language === 'promql');
    const live = promql.filter((q) => !q.clusterOnly && !q.annotation);
    const cases = live.flatMap((query) => {
      const names = variablesOf(query.text);
      if (names.length === 0) return [{ query, variables: {} }];
      const [name = ''] = names;
      return (values.get(name) ?? [])
        .filter((value) => name !== 'service' || emitsAll(query.text, value))
        .map((value) => ({ query, variables: { [name]: value } }));
    });
    for (const query of live) {
      assert.ok(
        cases.some((c) => c.query === query),
        `${query.board} / ${query.where}: no value of its variables emits its metrics`,
      );
    }
    const empty = async () => {
      const missing: string[] = [];
      for (const { query, variables } of cases) {
        const where = `${query.board} / ${query.where} ${JSON.stringify(variables)}`;
        try {
          const answer = await evaluate(query, variables);
          const result = (answer.data as { result?: unknown[] } | undefined)?.result ?? [];
          if (answer.status !== 'success') missing.push(`${where}: ${answer.error ?? 'error'}`);
          else if (result.length === 0) missing.push(where);
        } catch (error) {
          missing.push(`${where}: ${String(error)}`);
        }
      }
      return missing;
    };
    let missing = ['not evaluated yet'];
    await poll('every PromQL query to return data', DATA_DEADLINE_MS, async () => {
      missing = await empty();
      return missing.length === 0 ? true : undefined;
    }).catch(() => undefined);
    assert.deepEqual(missing, [], `queries without data:\n${missing.join('\n')}`);

    // Cluster-only panels and annotations have nothing to show here, but must be valid PromQL.
    for (const query of promql.filter((q) => q.clusterOnly || q.annotation)) {
      const answer = await evaluate(query, {});
      assert.equal(answer.status, 'success', `${query.where}: ${answer.error}`);
    }
    for (const board of boards) {
      const own = live.filter((q) => q.board === board.dashboard.title);
      t.diagnostic(
        `${board.dashboard.title}: ${cases.filter((c) => own.includes(c.query)).length} PromQL evaluations with data`,
      );
    }
    t.diagnostic(`${cases.length} PromQL evaluations (${live.length} queries) returned data`);
  });

  it('finds trace exemplars behind every latency panel that shows them', async (t) => {
    const latency = queries.filter((q) => q.language === 'promql' && q.exemplar === true);
    assert.ok(latency.length >= 8);
    const traced = new Set<string>();
    const exemplarsOf = async (query: ExtractedQuery, variables: Record<string, string>) => {
      const now = Date.now() / 1000;
      const answer = await prom('/api/v1/query_exemplars', {
        query: expandQuery(query.text, { ...expansion, variables }),
        start: String(now - 300),
        end: String(now),
      });
      assert.equal(answer.status, 'success', `${query.where}: ${answer.error ?? ''}`);
      const series = answer.data as unknown as { exemplars: { labels: Record<string, string> }[] }[];
      return series.flatMap((s) => s.exemplars.map((e) => e.labels[EXEMPLAR_TRACE_ID_LABEL] ?? ''));
    };
    for (const query of latency) {
      const services = variablesOf(query.text).includes('service')
        ? (values.get('service') ?? []).filter((service) => emitsAll(query.text, service))
        : [undefined];
      let ids: string[] = [];
      for (const service of services) {
        ids = await exemplarsOf(query, service ? { service } : {});
        if (ids.length > 0) break;
      }
      assert.ok(ids.length > 0, `${query.board} / ${query.where}: no exemplar for any service`);
      for (const id of ids) assert.match(id, /^[0-9a-f]{32}$/, `${query.where}: exemplar without a trace id`);
      for (const id of ids) traced.add(id);
    }
    t.diagnostic(`${latency.length} latency queries have exemplars (${traced.size} traces)`);
  });

  it('turns the trace_id of real log lines into a trace link (the Loki derived field)', (t) => {
    const matcher = new RegExp(TRACE_ID_IN_LOG_LINE);
    const traced = (shop?.allLines() ?? []).filter(({ line }) => line.includes('"trace_id"'));
    assert.ok(traced.length > 0, 'no log line inside a trace');
    for (const { name, line } of traced) {
      const parsed = JSON.parse(line) as { trace_id?: unknown };
      assert.equal(matcher.exec(line)?.[1], parsed.trace_id, `${name}: ${line.slice(0, 200)}`);
      assert.match(String(parsed.trace_id), /^[0-9a-f]{32}$/);
    }
    t.diagnostic(`${traced.length} log lines with a trace id, each matched by the derived field`);
  });

  it('runs every SQL query as the read-only user and gets rows of the shape its panel draws', async (t) => {
    const sql = queries.filter((q) => q.language === 'sql');
    assert.ok(sql.length >= 8);
    const client = new pg.Client({ connectionString: readerUrl });
    await client.connect();
    try {
      await assert.rejects(client.query('DELETE FROM orders.orders'), /permission denied/);
      await poll('placed orders in the orders database', DATA_DEADLINE_MS, async () => {
        const { rows } = await client.query<{ n: string }>(
          "SELECT count(*) AS n FROM orders.orders WHERE status = 'placed'",
        );
        return Number(rows[0]?.n) >= 3 ? true : undefined;
      });
      const NUMERIC = new Set([20, 21, 23, 700, 701, 1700]);
      const TIME = new Set([1082, 1114, 1184]);
      for (const query of sql) {
        const where = `${query.board} / ${query.where}`;
        const result = await client.query(expandQuery(query.text, expansion));
        assert.ok(result.rows.length > 0, `${where}: no rows`);
        const types = new Map(result.fields.map((f) => [f.name, f.dataTypeID]));
        if (query.format === 'time_series') {
          assert.ok(TIME.has(types.get('time') ?? 0), `${where}: no time column`);
          for (const [name, type] of types) {
            if (name === 'time' || name === 'metric') continue;
            assert.ok(NUMERIC.has(type), `${where}: column ${name} is not numeric`);
          }
        }
        if (['stat', 'bargauge', 'timeseries'].includes(query.panelType)) {
          assert.ok(
            [...types.values()].some((type) => NUMERIC.has(type)),
            `${where}: no numeric column`,
          );
        }
      }
      t.diagnostic(`${sql.length} SQL queries returned rows`);
    } finally {
      await client.end();
    }
  });
});
