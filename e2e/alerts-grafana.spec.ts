import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { parser } from '@grafana/lezer-logql';
import { TEST_POSTGRES_URL } from '@glasshouse/kit/testing';
import pg from 'pg';
import { parse, stringify } from 'yaml';
import { inventoryMigrations } from '../services/inventory/src/migrations.js';

/**
 * The Grafana-managed alerts (seed 002), checked where a real engine exists: the SQL in
 * PostgreSQL on the inventory's own migrations, the PromQL in Prometheus' engine (promtool) over
 * our recording rules, the LogQL with Grafana's grammar; every uid, receiver and runbook resolves.
 */

const run = promisify(execFile);
const ROOT = join(__dirname, '..');
const PROVISIONING = join(ROOT, 'deploy', 'grafana', 'provisioning');
const ALERTING = join(PROVISIONING, 'alerting', 'glasshouse.yaml');
/** The only stream labels our log pipeline sets (the shared Loki contract). */
const LOKI_LABELS = ['service_name', 'service_namespace', 'deployment_environment', 'level'];
const SEVERITIES = ['page', 'ticket', 'info'];

interface Query {
  refId: string;
  datasourceUid: string;
  model: { refId: string; rawSql?: string; expr?: string; type?: string };
}
interface GrafanaRule {
  uid: string;
  title: string;
  condition: string;
  data: Query[];
  for: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}
interface Receiver {
  uid: string;
  type: string;
  settings: Record<string, unknown>;
}
interface Route {
  receiver: string;
  routes?: Route[];
}
interface Provisioning {
  apiVersion: number;
  groups: { name: string; folder: string; interval: string; rules: GrafanaRule[] }[];
  contactPoints: { name: string; receivers: Receiver[] }[];
  policies: Route[];
}

const provisioning = parse(readFileSync(ALERTING, 'utf8')) as Provisioning;
const rules = provisioning.groups.flatMap((g) => g.rules);
const queries = (datasourceUid: string): Query[] =>
  rules.flatMap((r) => r.data).filter((q) => q.datasourceUid === datasourceUid);

function datasourceUids(): Set<string> {
  const dir = join(PROVISIONING, 'datasources');
  const uids = readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .flatMap(
      (f) => (parse(readFileSync(join(dir, f), 'utf8')) as { datasources: { uid: string }[] }).datasources,
    )
    .map((d) => d.uid);
  return new Set(uids);
}

describe('Grafana-managed alerts', () => {
  it('are complete rules over data sources that exist, with a severity, a service and a runbook', () => {
    assert.equal(provisioning.apiVersion, 1);
    const known = datasourceUids();
    assert.ok(rules.length >= 3);
    assert.ok(['postgres-inventory', 'loki', 'prometheus'].every((uid) => queries(uid).length > 0));
    for (const rule of rules) {
      const refIds = rule.data.map((q) => q.refId);
      assert.ok(refIds.includes(rule.condition), `${rule.title}: condition ${rule.condition} is no query`);
      for (const query of rule.data) {
        assert.ok(
          query.datasourceUid === '__expr__' || known.has(query.datasourceUid),
          `${rule.title}: data source ${query.datasourceUid} is not provisioned`,
        );
      }
      assert.ok(SEVERITIES.includes(rule.labels.severity ?? ''), `${rule.title} has no severity`);
      // A service label of its own, or one the query's series carry.
      assert.ok(
        rule.labels.service !== undefined ||
          rule.data.some((q) => /by \([^)]*\bservice\b/.test(q.model.expr ?? '')),
        `${rule.title} has no service label`,
      );
      for (const value of Object.values(rule.labels)) {
        assert.doesNotMatch(
          value,
          /(^|[^$])\$[a-z]/,
          `${rule.title}: a label's $ would be read as an environment variable`,
        );
      }
      const runbook = rule.annotations.runbook_url ?? '';
      assert.ok(existsSync(join(ROOT, runbook)), `${rule.title}: ${runbook} is missing`);
    }
  });

  it('notify email, Slack, PagerDuty and a webhook, with every secret from the environment', () => {
    const receivers = provisioning.contactPoints.flatMap((c) => c.receivers);
    assert.deepEqual(receivers.map((r) => r.type).sort(), ['email', 'pagerduty', 'slack', 'webhook']);
    const secrets = ['url', 'integrationKey', 'addresses', 'authorization_credentials'];
    for (const receiver of receivers) {
      for (const key of secrets.filter((k) => k in receiver.settings)) {
        assert.match(String(receiver.settings[key]), /^\$\{[A-Z0-9_]+\}$/, `${receiver.uid}.${key}`);
      }
    }
    const names = new Set(provisioning.contactPoints.map((c) => c.name));
    const routed = (route: Route): string[] => [route.receiver, ...(route.routes ?? []).flatMap(routed)];
    for (const name of provisioning.policies.flatMap(routed))
      assert.ok(names.has(name), `no contact point ${name}`);
  });

  it('query Loki with only the labels our log pipeline sets, in valid LogQL', () => {
    for (const { model } of queries('loki')) {
      const expr = model.expr ?? '';
      const tree = parser.parse(expr);
      const labels: string[] = [];
      let errors = 0;
      tree.iterate({
        enter: (node) => {
          if (node.type.isError) errors += 1;
          if (node.name === 'Identifier') labels.push(expr.slice(node.from, node.to));
        },
      });
      assert.equal(errors, 0, `LogQL does not parse: ${expr}`);
      assert.ok(labels.length > 0);
      for (const label of labels)
        assert.ok(LOKI_LABELS.includes(label), `${label} is not a Loki label of ours`);
    }
  });

  it('query Prometheus with PromQL that evaluates over our recording rules', async () => {
    const [query] = queries('prometheus');
    assert.ok(query?.model.expr);
    const dir = mkdtempSync(join(tmpdir(), 'glasshouse-grafana-promql-'));
    try {
      // A checkout with half its budget spent: 0.25 % of PlaceOrder calls failing against 0.5 %.
      const labels = 'service="checkout", rpc_method="hipstershop.CheckoutService/PlaceOrder"';
      writeFileSync(
        join(dir, 'test.yml'),
        stringify({
          rule_files: [join(ROOT, 'deploy', 'prometheus', 'rules', 'slo-checkout-availability.yml')],
          evaluation_interval: '1m',
          tests: [
            {
              interval: '1m',
              input_series: [
                {
                  series: `rpc_server_call_duration_seconds_count{${labels}, rpc_grpc_status_code="OK"}`,
                  values: '0+9975x30',
                },
                {
                  series: `rpc_server_call_duration_seconds_count{${labels}, rpc_grpc_status_code="INTERNAL"}`,
                  values: '0+25x30',
                },
              ],
              promql_expr_test: [
                {
                  // Rounded: the budget's arithmetic leaves a few ulps of noise.
                  expr: `round(${query.model.expr}, 0.001)`,
                  eval_time: '20m',
                  exp_samples: [{ labels: '{service="checkout", slo="checkout-availability"}', value: 0.5 }],
                },
              ],
            },
          ],
        }),
      );
      const { stdout } = await run('promtool', ['test', 'rules', join(dir, 'test.yml')]);
      assert.match(stdout, /SUCCESS/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('low inventory, in PostgreSQL', () => {
    const database = `glasshouse_grafana_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    let inventory: pg.Client;
    const [sqlQuery] = queries('postgres-inventory');
    const lowRows = async () =>
      (await inventory.query<{ product_id: string }>(sqlQuery?.model.rawSql ?? '')).rows;

    before(async () => {
      await admin.connect();
      await admin.query(`CREATE DATABASE ${database}`);
      const url = new URL(TEST_POSTGRES_URL);
      url.pathname = `/${database}`;
      inventory = new pg.Client({ connectionString: url.toString() });
      await inventory.connect();
      // The inventory's own migrations, in its own schema, as the service applies them.
      await inventory.query('CREATE SCHEMA inventory');
      for (const migration of inventoryMigrations('inventory')) await inventory.query(migration.sql);
    });

    after(async () => {
      await inventory?.end();
      await admin.query(`DROP DATABASE IF EXISTS ${database}`);
      await admin.end();
    });

    it('returns a row exactly for each product at or below its threshold', async () => {
      await inventory.query('UPDATE inventory.stock SET quantity = low_stock_threshold + 1');
      assert.deepEqual(await lowRows(), []);
      const { rows } = await inventory.query<{ product_id: string }>(
        'SELECT product_id FROM inventory.stock ORDER BY product_id LIMIT 3',
      );
      const [atThreshold, below, empty] = rows.map((r) => r.product_id);
      await inventory.query(
        'UPDATE inventory.stock SET quantity = low_stock_threshold WHERE product_id = $1',
        [atThreshold],
      );
      await inventory.query(
        'UPDATE inventory.stock SET quantity = low_stock_threshold - 1 WHERE product_id = $1',
        [below],
      );
      await inventory.query('UPDATE inventory.stock SET quantity = 0 WHERE product_id = $1', [empty]);
      const low = await lowRows();
      assert.deepEqual(low.map((r) => r.product_id).sort(), [atThreshold, below, empty].sort());
      // One numeric column (the value Grafana thresholds), the rest labels.
      const { fields } = await inventory.query(sqlQuery?.model.rawSql ?? '');
      assert.deepEqual(
        fields.map((f) => f.name),
        ['product_id', 'product_name', 'quantity'],
      );
    });
  });
});
