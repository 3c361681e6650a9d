import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import { parser as logqlParser } from '@grafana/lezer-logql';
import { parser as traceqlParser } from '@grafana/lezer-traceql';
import { parse as parseYaml } from 'yaml';
import { METRICS } from '../../../packages/kit/src/telemetry/registry.js';
import { allBoards } from './catalog.js';
import { TRACE_TO_LOGS_QUERY, TRACE_TO_METRICS_QUERIES } from './datasources.js';
import { FOREIGN_METRICS } from './exporter-metrics.js';
import type { Expansion } from './expand.js';
import { expandQuery, variablesOf } from './expand.js';
import type { ExtractedQuery } from './extract.js';
import { panelsOf, queriesOf } from './extract.js';
import { renderGrafana } from './generate.js';
import { metricNames } from './metric-names.js';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..', '..');
const GRAFANA = join(ROOT, 'deploy', 'grafana');
const boards = allBoards();
const queries = boards.flatMap(queriesOf);
const ofLanguage = (language: ExtractedQuery['language']) => queries.filter((q) => q.language === language);

/** Any value for each variable: the static checks are about the shape of a query, not its data. */
const EXPANSION: Expansion = {
  variables: { service: 'checkout', slo: 'shop-availability' },
  rateInterval: '1m',
  interval: '30s',
  range: '1h',
  from: new Date('2026-01-01T00:00:00Z'),
  to: new Date('2026-01-01T01:00:00Z'),
};

/** The Loki stream labels the log pipeline sets (the shared contract). */
const STREAM_LABELS = new Set(['service_name', 'service_namespace', 'deployment_environment', 'level']);

function histogramSeries(name: string, type: string): string[] {
  return type === 'histogram' ? [`${name}_bucket`, `${name}_count`, `${name}_sum`] : [name];
}

function recordedNames(): Set<string> {
  const dir = join(ROOT, 'deploy', 'prometheus', 'rules');
  const names = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f))) {
    const document = parseYaml(readFileSync(join(dir, file), 'utf8')) as {
      groups?: { rules?: { record?: string }[] }[];
    };
    for (const group of document.groups ?? []) {
      for (const rule of group.rules ?? []) if (rule.record) names.add(rule.record);
    }
  }
  return names;
}

/** Syntax errors of a lezer parse, as the text they cover. */
function syntaxErrors(tree: ReturnType<typeof logqlParser.parse>, text: string): string[] {
  const errors: string[] = [];
  tree.iterate({
    enter(node) {
      if (node.type.isError) errors.push(`at ${node.from}: "${text.slice(node.from, node.from + 20)}"`);
    },
  });
  return errors;
}

describe('the generated Grafana files', () => {
  it('are the committed ones (run `npm run dashboards` after a change)', async () => {
    const expected = await renderGrafana(boards);
    for (const [path, content] of expected) {
      assert.equal(readFileSync(join(GRAFANA, path), 'utf8'), content, `deploy/grafana/${path} drifted`);
    }
    const committed = readdirSync(join(GRAFANA, 'dashboards'), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name).slice(GRAFANA.length + 1));
    assert.deepEqual(committed.sort(), [...expected.keys()].filter((p) => p.startsWith('dashboards')).sort());
  });

  it('give every dashboard a unique uid and every panel a unique id', () => {
    const uids = boards.map((b) => b.dashboard.uid);
    assert.equal(new Set(uids).size, uids.length);
    for (const board of boards) {
      const ids = (board.dashboard.panels ?? []).flatMap((p) => [
        p.id,
        ...('panels' in p ? (p.panels ?? []).map((inner) => inner.id) : []),
      ]);
      assert.equal(new Set(ids).size, ids.length, `${board.dashboard.title}: duplicate panel ids`);
    }
  });

  it('give every panel a title, a unit and a description', () => {
    for (const board of boards) {
      for (const panel of panelsOf(board)) {
        const where = `${board.dashboard.title} / ${panel.title ?? `panel ${panel.id}`}`;
        assert.ok(panel.title?.trim(), `${where}: no title`);
        assert.ok(panel.description?.trim(), `${where}: no description`);
        assert.ok(panel.fieldConfig?.defaults?.unit?.trim(), `${where}: no unit`);
        assert.ok((panel.targets ?? []).length > 0, `${where}: no query`);
      }
    }
  });

  it('use only template variables their dashboard defines', () => {
    for (const board of boards) {
      const defined = new Set((board.dashboard.templating?.list ?? []).map((v) => v.name));
      for (const query of queriesOf(board)) {
        for (const name of variablesOf(query.text)) {
          assert.ok(defined.has(name), `${query.board} / ${query.where}: $${name} is not a variable of it`);
        }
      }
    }
  });

  it('name only data sources that are provisioned, correlations included', () => {
    const provisioning = parseYaml(
      readFileSync(join(GRAFANA, 'provisioning', 'datasources', 'glasshouse.yaml'), 'utf8'),
    ) as { datasources: { uid: string; jsonData?: Record<string, unknown> }[] };
    const uids = new Set(provisioning.datasources.map((d) => d.uid));
    assert.deepEqual([...uids].sort(), [
      'alertmanager',
      'jaeger',
      'loki',
      'postgres-auth',
      'postgres-inventory',
      'postgres-orders',
      'prometheus',
      'tempo',
    ]);
    for (const query of queries) {
      assert.ok(
        uids.has(query.datasourceUid),
        `${query.board} / ${query.where}: unknown uid "${query.datasourceUid}"`,
      );
    }
    const linked = JSON.stringify(provisioning.datasources.map((d) => d.jsonData ?? {}));
    for (const match of linked.matchAll(/"datasourceUid":"([^"]+)"/g)) {
      assert.ok(uids.has(match[1] ?? ''), `a correlation names unknown uid "${match[1]}"`);
    }
    // Grafana-managed alert rules, wherever they are provisioned; __expr__ is Grafana's own expressions.
    const alerting = join(GRAFANA, 'provisioning', 'alerting');
    const alertFiles = existsSync(alerting) ? readdirSync(alerting).filter((f) => /\.ya?ml$/.test(f)) : [];
    for (const file of alertFiles) {
      const text = JSON.stringify(parseYaml(readFileSync(join(alerting, file), 'utf8')));
      for (const match of text.matchAll(/"datasourceUid":"([^"]+)"/g)) {
        const uid = match[1] ?? '';
        assert.ok(uid === '__expr__' || uids.has(uid), `alerting/${file} names unknown uid "${uid}"`);
      }
    }
  });

  it('read only metrics the registry, an exporter or a recording rule defines', () => {
    const known = new Set([
      ...Object.values(METRICS).flatMap((entries) => entries.flatMap((m) => histogramSeries(m.name, m.type))),
      ...FOREIGN_METRICS.map((m) => m.name),
      ...recordedNames(),
    ]);
    const promql = [
      ...ofLanguage('promql').map((q) => ({ where: `${q.board} / ${q.where}`, text: q.text })),
      ...TRACE_TO_METRICS_QUERIES.map((q) => ({ where: `trace to metrics / ${q.name}`, text: q.query })),
    ];
    assert.ok(promql.length > 50);
    for (const { where, text } of promql) {
      const names = metricNames(text);
      assert.ok(names.length > 0 || /vector\(/.test(text), `${where}: no metric found in ${text}`);
      for (const name of names) assert.ok(known.has(name), `${where}: unknown metric ${name}`);
    }
  });

  it('write PromQL that Prometheus parses (promtool check rules), variables substituted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'glasshouse-dashboards-'));
    try {
      const rules = ofLanguage('promql').map((q, i) => ({
        record: `dashboard:query_${i}`,
        expr: expandQuery(q.text, EXPANSION),
      }));
      const file = join(dir, 'queries.yml');
      writeFileSync(file, JSON.stringify({ groups: [{ name: 'dashboards', rules }] }));
      const { stdout } = await run('promtool', ['check', 'rules', file], { timeout: 30_000 });
      assert.match(stdout, new RegExp(`SUCCESS: ${rules.length} rules found`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('write LogQL that the Loki grammar parses, selecting only the pipeline’s stream labels', () => {
    const logql = [
      ...ofLanguage('logql').map((q) => ({
        where: `${q.board} / ${q.where}`,
        text: expandQuery(q.text, EXPANSION),
      })),
      {
        where: 'trace to logs',
        text: TRACE_TO_LOGS_QUERY.replace('${__span.tags["service.name"]}', 'checkout').replace(
          '${__trace.traceId}',
          '0af7651916cd43dd8448eb211c80319c',
        ),
      },
    ];
    assert.ok(logql.length >= 5);
    for (const { where, text } of logql) {
      const tree = logqlParser.parse(text);
      assert.deepEqual(syntaxErrors(tree, text), [], `${where}: ${text}`);
      tree.iterate({
        enter(node) {
          if (node.name === 'Matcher' && node.node.parent?.parent?.name === 'Selector') {
            const label = node.node.getChild('Identifier');
            const name = label ? text.slice(label.from, label.to) : '';
            assert.ok(STREAM_LABELS.has(name), `${where}: stream label ${name} is not one the pipeline sets`);
          }
        },
      });
    }
  });

  it('write TraceQL that the Tempo grammar parses', () => {
    const traceql = ofLanguage('traceql');
    assert.ok(traceql.length >= 2);
    for (const query of traceql) {
      const text = expandQuery(query.text, EXPANSION);
      assert.deepEqual(syntaxErrors(traceqlParser.parse(text), text), [], `${query.where}: ${text}`);
    }
  });

  it('mark as cluster-only panels that exist, and only Kubernetes ones', () => {
    for (const board of boards) {
      const titles = new Set(panelsOf(board).map((p) => p.title));
      for (const title of board.clusterOnly)
        assert.ok(titles.has(title), `${board.dashboard.title}: no panel ${title}`);
    }
    const kubernetesOnly = new Set(
      FOREIGN_METRICS.filter((m) => m.source === 'kube-state-metrics' || m.source === 'cadvisor').map(
        (m) => m.name,
      ),
    );
    for (const query of ofLanguage('promql')) {
      const onCluster = metricNames(query.text).some((name) => kubernetesOnly.has(name));
      assert.equal(onCluster, query.clusterOnly, `${query.board} / ${query.where}`);
    }
  });
});
