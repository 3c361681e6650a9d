import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { SERVICES } from '@glasshouse/kit';
import { findExecutable } from './observability.js';
import { NAMESPACE, prometheusConfig, toYaml } from './prometheus-config.js';

const implemented = SERVICES.filter((service) => service.implemented);
const options = {
  scrapeInterval: '15s',
  ruleFiles: ['/etc/glasshouse/rules/slo.yml', '/etc/glasshouse/rules/business.yml'],
  alertmanagerUrl: 'http://127.0.0.1:9093',
};

describe('prometheusConfig', () => {
  it('has one job per service, named after it, scraping its admin port', () => {
    const config = prometheusConfig(implemented, options);
    assert.equal(config.scrape_configs.length, implemented.length);
    for (const service of implemented) {
      const job = config.scrape_configs.find((j) => j.job_name === service.name);
      assert.ok(job, `no job for ${service.name}`);
      assert.equal(job.metrics_path, '/metrics');
      assert.deepEqual(job.static_configs, [
        {
          targets: [`127.0.0.1:${service.adminPort}`],
          labels: { service: service.name, namespace: NAMESPACE },
        },
      ]);
    }
  });

  it('uses the scrape interval, lists the rule files and sends alerts to Alertmanager', () => {
    const config = prometheusConfig(implemented, { ...options, scrapeInterval: '5s' });
    assert.equal(config.global.scrape_interval, '5s');
    assert.equal(config.global.evaluation_interval, '5s');
    assert.deepEqual(config.rule_files, options.ruleFiles);
    assert.deepEqual(config.alerting?.alertmanagers, [
      { scheme: 'http', static_configs: [{ targets: ['127.0.0.1:9093'] }] },
    ]);
  });

  it('has no alerting section without an Alertmanager, and scrapes a moved admin address', () => {
    const config = prometheusConfig([{ name: 'frontend', adminPort: 9000, adminHost: '::1' }], {
      scrapeInterval: '15s',
      ruleFiles: [],
    });
    assert.equal(config.alerting, undefined);
    assert.deepEqual(config.scrape_configs[0]?.static_configs[0]?.targets, ['[::1]:9000']);
  });

  it('is valid for promtool', async (t) => {
    const promtool = findExecutable(['promtool'], process.env.PATH);
    assert.ok(promtool, 'promtool is not on PATH (apt-get install prometheus; .ci/run installs it)');
    const dir = mkdtempSync(join(tmpdir(), 'glasshouse-prometheus-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const rules = join(dir, 'rules.yml');
    writeFileSync(
      rules,
      'groups:\n  - name: test\n    rules:\n      - alert: ServiceDown\n        expr: up{namespace="glasshouse"} == 0\n        for: 1m\n',
    );
    const file = join(dir, 'prometheus.yml');
    writeFileSync(file, toYaml(prometheusConfig(SERVICES, { ...options, ruleFiles: [rules] })));
    const { stdout } = await promisify(execFile)(promtool, ['check', 'config', file]);
    assert.match(stdout, /SUCCESS/);
  });
});

describe('toYaml', () => {
  it('writes nested maps and lists in block style with quoted strings', () => {
    const yaml = toYaml({ a: 'x: y', b: 2, c: [{ d: true, e: [] }, 'f'], g: {}, h: undefined });
    assert.equal(yaml, 'a: "x: y"\nb: 2\nc:\n  - d: true\n    e: []\n  - "f"\ng: {}\n');
  });
});
