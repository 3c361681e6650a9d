import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SCENARIO_NAMES, scenarioSpec } from '@glasshouse/kit';
import { parse } from 'yaml';
import { LOG_EVENTS, METRICS } from '../../../packages/kit/src/telemetry/registry.js';
import type { Signature } from './answer-key.js';
import { ANSWER_KEY } from './answer-key.js';
import { generatedFiles } from './generate.js';

const ROOT = join(__dirname, '..', '..', '..');

function alertNames(): Set<string> {
  const dir = join(ROOT, 'deploy', 'prometheus', 'rules');
  const names = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.yml'))) {
    const content = parse(readFileSync(join(dir, file), 'utf8')) as {
      groups: { rules: { alert?: string }[] }[];
    };
    for (const rule of content.groups.flatMap((g) => g.rules)) if (rule.alert) names.add(rule.alert);
  }
  return names;
}

const registered = <E>(registry: Readonly<Partial<Record<string, readonly E[]>>>): E[] =>
  Object.values(registry).flatMap((entries) => entries ?? []);
const signatures = (): [string, Signature][] =>
  SCENARIO_NAMES.flatMap((s) => {
    const entry = ANSWER_KEY[s];
    return 'pending' in entry ? [] : [[s, entry] as [string, Signature]];
  });

describe('the answer key', () => {
  it('has an entry for every scenario, pending only where the scenario cannot be switched on yet or its hook is missing', () => {
    for (const scenario of SCENARIO_NAMES) assert.ok(ANSWER_KEY[scenario], `${scenario} has no entry`);
    assert.ok(signatures().length >= 14, `only ${signatures().length} scenarios have a signature`);
    for (const scenario of SCENARIO_NAMES) {
      if (scenarioSpec(scenario).pending)
        assert.ok('pending' in ANSWER_KEY[scenario], `${scenario} is pending`);
    }
  });

  it('names only alerts of deploy/prometheus/rules, each with its runbook', () => {
    const alerts = alertNames();
    for (const [scenario, signature] of signatures()) {
      assert.ok(
        signature.alerts.length > 0 || signature.quiet,
        `${scenario} lists no alert and says not why`,
      );
      for (const { alert } of [...signature.alerts, ...(signature.follows ?? [])]) {
        assert.ok(alerts.has(alert), `${scenario}: no alert ${alert} in deploy/prometheus/rules`);
        assert.ok(
          existsSync(join(ROOT, 'docs', 'runbooks', `${alert}.md`)),
          `${scenario}: no runbook for ${alert}`,
        );
      }
    }
  });

  it('names only metrics and log events of the telemetry registry', () => {
    const metrics = new Set(registered(METRICS).map((m) => m.name));
    const messages = new Set(registered(LOG_EVENTS).map((l) => l.message));
    for (const [scenario, { promql, log }] of signatures()) {
      const names = [...promql.expr.matchAll(/([a-z_:][a-z0-9_:]*)\s*[{[]/g)].map((m) => m[1] ?? '');
      assert.ok(names.length > 0, `${scenario}: no metric in ${promql.expr}`);
      for (const name of names) {
        const base = name.replace(/_(bucket|count|sum)$/, '');
        assert.ok(metrics.has(name) || metrics.has(base), `${scenario}: ${name} is not in the registry`);
      }
      if (log)
        assert.ok(messages.has(log.message), `${scenario}: no log event "${log.message}" in the registry`);
    }
  });

  it('is what the committed deploy/flags/glasshouse.flagd.json and docs/faults.md were rendered from (npm run faults)', () => {
    for (const [path, text] of generatedFiles()) {
      assert.equal(readFileSync(join(ROOT, path), 'utf8'), text, `${path} is stale: run npm run faults`);
    }
  });
});
