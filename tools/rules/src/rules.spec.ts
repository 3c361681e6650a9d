import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { METRICS } from '../../../packages/kit/src/telemetry/registry.js';
import { generatedFiles } from './generate.js';
import { runbookPath } from './model.js';
import { BACKEND_SERIES, HISTOGRAM_SUFFIXES, PROMETHEUS_SERIES, metricsOf } from './rule-names.js';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..', '..');
const RULES = join(ROOT, 'deploy', 'prometheus', 'rules');
const TESTS = join(ROOT, 'deploy', 'prometheus', 'tests');
const SEVERITIES = ['page', 'ticket', 'info'];
const RUNBOOK_SECTIONS = [
  '## What it means for shoppers',
  '## Confirm',
  '## Likely causes',
  '## Mitigate',
  '## Resolves',
];

interface RawRule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface RawAlertTest {
  eval_time: string;
  alertname: string;
  exp_alerts: { exp_labels: Record<string, string>; exp_annotations: Record<string, string> }[];
}

const yamlFiles = (dir: string): string[] =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.yml'))
    .sort();
const rulesIn = (file: string): RawRule[] =>
  (parse(readFileSync(join(RULES, file), 'utf8')) as { groups: { rules: RawRule[] }[] }).groups.flatMap(
    (g) => g.rules,
  );
const alertRules = (): RawRule[] =>
  yamlFiles(RULES)
    .flatMap(rulesIn)
    .filter((r) => r.alert !== undefined);
/** The checks of every promtool test, grouped by the input series they share. */
const alertTests = (): RawAlertTest[][] =>
  yamlFiles(TESTS).flatMap((file) =>
    (
      parse(readFileSync(join(TESTS, file), 'utf8')) as { tests: { alert_rule_test?: RawAlertTest[] }[] }
    ).tests.map((t) => t.alert_rule_test ?? []),
  );

/** A Prometheus duration in seconds (the units rules and tests use here). */
function seconds(duration: string): number {
  const units: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };
  return [...duration.matchAll(/(\d+)([smhd])/g)].reduce(
    (sum, [, n, unit]) => sum + Number(n) * (units[unit ?? 's'] ?? 1),
    0,
  );
}

describe('Prometheus rules', () => {
  it('are what `npm run rules` generates, and nothing else is in their folders', () => {
    const generated = generatedFiles();
    const committed = [
      ...yamlFiles(RULES).map((f) => join('deploy', 'prometheus', 'rules', f)),
      ...yamlFiles(TESTS).map((f) => join('deploy', 'prometheus', 'tests', f)),
    ].sort();
    assert.deepEqual(
      committed,
      [...generated.keys()].filter((path) => path.startsWith('deploy')).sort(),
      'run `npm run rules`',
    );
    for (const [path, text] of generated) {
      assert.equal(readFileSync(join(ROOT, path), 'utf8'), text, `${path} drifted: run \`npm run rules\``);
    }
  });

  it('pass promtool check rules and promtool test rules', async () => {
    const check = await run('promtool', ['check', 'rules', ...yamlFiles(RULES).map((f) => join(RULES, f))]);
    assert.match(check.stdout, /SUCCESS/);
    const test = await run('promtool', ['test', 'rules', ...yamlFiles(TESTS)], { cwd: TESTS });
    assert.doesNotMatch(test.stdout, /FAILED/);
  });

  it('give every alert a severity, a runbook and annotations that quote the value', () => {
    for (const rule of alertRules()) {
      const name = rule.alert ?? '';
      assert.ok(SEVERITIES.includes(rule.labels?.severity ?? ''), `${name} has no valid severity`);
      assert.equal(rule.annotations?.runbook_url, runbookPath(name));
      assert.match(rule.annotations?.summary ?? '', /\S/, `${name} has no summary`);
      assert.match(rule.annotations?.description ?? '', /\$value/, `${name}'s description does not quote it`);
      const runbook = join(ROOT, runbookPath(name));
      assert.ok(existsSync(runbook), `${runbookPath(name)} is missing`);
      const text = readFileSync(runbook, 'utf8');
      for (const section of RUNBOOK_SECTIONS)
        assert.ok(text.includes(section), `${name}'s runbook lacks ${section}`);
    }
  });

  it('test every alert: firing with service and severity, a near miss, and pending before its `for`', () => {
    const groups = alertTests();
    const tests = groups.flat();
    for (const rule of alertRules()) {
      const name = rule.alert ?? '';
      const severity = rule.labels?.severity ?? '';
      const mine = tests.filter((t) => t.alertname === name);
      const ofSeverity = (t: RawAlertTest) => t.exp_alerts.filter((a) => a.exp_labels.severity === severity);
      const firing = mine.filter((t) => ofSeverity(t).length > 0);
      assert.ok(firing.length > 0, `${name} (${severity}) never fires in a test`);
      for (const alert of firing.flatMap(ofSeverity)) {
        assert.ok(alert.exp_labels.service, `${name} fires without a service label`);
      }
      const forSeconds = seconds(rule.for ?? '0s');
      const misses = mine.filter((t) => ofSeverity(t).length === 0);
      // The Watchdog is always firing by design: it has nothing to miss.
      assert.ok(
        rule.expr === 'vector(1)' || misses.some((t) => seconds(t.eval_time) >= forSeconds),
        `${name} (${severity}) has no near miss`,
      );
      if (forSeconds > 0) {
        // Quiet, then firing on the same series less than twice its `for` later: it was pending.
        const pending = groups.some((group) =>
          group.some(
            (quiet) =>
              quiet.alertname === name &&
              ofSeverity(quiet).length === 0 &&
              group.some((loud) => {
                const gap = seconds(loud.eval_time) - seconds(quiet.eval_time);
                return (
                  loud.alertname === name && ofSeverity(loud).length > 0 && gap > 0 && gap <= 2 * forSeconds
                );
              }),
          ),
        );
        assert.ok(pending, `${name} (${severity}) has no test of its pending period`);
      }
    }
  });

  it('name only metrics the telemetry registry lists (or Prometheus makes)', () => {
    const known = new Set<string>([...PROMETHEUS_SERIES, ...BACKEND_SERIES.map((m) => m.name)]);
    for (const entries of Object.values(METRICS)) {
      for (const entry of entries ?? []) {
        known.add(entry.name);
        if (entry.type === 'histogram')
          for (const suffix of HISTOGRAM_SUFFIXES) known.add(entry.name + suffix);
      }
    }
    const unknown = yamlFiles(RULES)
      .flatMap(rulesIn)
      .flatMap((rule) =>
        metricsOf(rule.expr)
          .filter((m) => !known.has(m))
          .map((m) => `${m} (${rule.alert ?? rule.record ?? ''})`),
      );
    assert.deepEqual(unknown, []);
  });
});
