import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { SERVICES, addressVariable } from '@glasshouse/kit';
import type { AlloyBlock } from './compose/alloy-syntax.js';
import { attributesOf, parseAlloy, referencesIn } from './compose/alloy-syntax.js';
import { DEFAULT_LAYERS } from './compose/layers.js';
import type { ComposeFile } from './compose/model.js';
import { DATABASES, shopServices } from './compose/shop-layer.js';
import { ROOT, filesIn, mergedStack, readYaml } from './compose/stack-files.js';
import type { PipelineConfig } from './compose/wiring.js';
import {
  hostPort,
  isRecord,
  listeners,
  mergeConfigs,
  pipelineProblems,
  unreachable,
  valuesOfKey,
} from './compose/wiring.js';

const deploy = (...path: string[]): string => join(ROOT, 'deploy', ...path);
/** The stream labels of the logs contract, and nothing else. */
const LOG_LABELS = ['deployment_environment', 'level', 'service_name', 'service_namespace'];
/** Grafana's own pseudo data sources, which no provisioning file defines. */
/** Containers with no metrics of their own: the stores (their exporters are watched) and a log-only sink. */
const UNMETERED = new Set(['postgres', 'redis', 'alert-webhook']);
const BUILT_IN_UIDS = new Set(['-- Grafana --', '-- Mixed --', '-- Dashboard --', 'grafana', '__expr__']);

type Prometheus = {
  scrape_configs: {
    job_name: string;
    static_configs: { targets: string[]; labels: Record<string, string> }[];
  }[];
  alerting: { alertmanagers: { static_configs: { targets: string[] }[] }[] };
};

describe('the compose stack, wired', () => {
  let stack: ComposeFile;
  let ports: Map<string, Set<number>>;
  const env = (service: string): Record<string, string> => ({ ...stack.services[service]?.environment });
  const noneUnreachable = (from: string, addresses: readonly string[]): void => {
    const problems = addresses.map((address) => unreachable(ports, from, address)).filter(Boolean);
    assert.deepEqual(problems, []);
  };

  before(() => {
    stack = mergedStack([...DEFAULT_LAYERS]);
    ports = listeners(stack);
  });

  it('a host:port check that can fail: unknown hosts and wrong ports are reported', () => {
    assert.equal(unreachable(ports, 'frontend', 'checkout:5050'), undefined);
    assert.match(unreachable(ports, 'frontend', 'checkout:5051') ?? '', /not 5051/);
    assert.match(unreachable(ports, 'frontend', 'http://nowhere:80/') ?? '', /no Compose service/);
    assert.deepEqual(hostPort('otel-collector:4317'), { host: 'otel-collector', port: 4317 });
  });

  it('Prometheus scrapes every service of the table and every watcher at an address that listens', () => {
    const config = readYaml(deploy('compose', 'prometheus', 'prometheus.yml')) as Prometheus;
    const jobs = new Map(config.scrape_configs.map((job) => [job.job_name, job]));
    for (const spec of shopServices()) {
      const job = jobs.get(spec.name);
      assert.ok(job, `no scrape job for ${spec.name}`);
      assert.deepEqual(job.static_configs[0]?.labels, { service: spec.name, namespace: 'glasshouse' });
    }
    const watchers = Object.keys(stack.services).filter(
      (name) => !SERVICES.some((spec) => spec.name === name) && !UNMETERED.has(name),
    );
    for (const name of watchers) assert.ok(jobs.has(name), `nobody watches ${name}`);
    for (const job of config.scrape_configs) {
      noneUnreachable(
        'prometheus',
        job.static_configs.flatMap((c) => c.targets),
      );
    }
    noneUnreachable(
      'prometheus',
      config.alerting.alertmanagers.flatMap((a) => a.static_configs.flatMap((c) => c.targets)),
    );
  });

  it('every service reaches its peers, its stores and the Collector by Compose name', () => {
    const databases = (env('postgres').GLASSHOUSE_DATABASES ?? '').split(' ');
    for (const spec of shopServices()) {
      const vars = env(spec.name);
      const peers = spec.calls.filter((peer) => SERVICES.find((s) => s.name === peer)?.implemented);
      noneUnreachable(
        spec.name,
        peers.map((peer) => vars[addressVariable(peer)] ?? `${peer}: unset`),
      );
      const otlp = vars.OTEL_EXPORTER_OTLP_ENDPOINT;
      assert.ok(otlp, `${spec.name} exports its spans nowhere`);
      noneUnreachable(spec.name, [otlp]);
      if (spec.store === 'redis') noneUnreachable(spec.name, [vars.REDIS_URL ?? 'REDIS_URL unset']);
      if (spec.store === 'postgres') {
        const url = new URL(vars.DATABASE_URL ?? 'postgres://unset');
        noneUnreachable(spec.name, [`${url.hostname}:${url.port}`]);
        assert.equal(url.pathname.slice(1), DATABASES[spec.name]);
        assert.ok(
          databases.includes(url.pathname.slice(1)),
          `the init script does not create ${url.pathname}`,
        );
      }
    }
  });

  it('the Collector: every pipeline component defined and used, OTLP received where services send it', () => {
    const config = readYaml(deploy('collector', 'config.yaml')) as PipelineConfig;
    assert.deepEqual(pipelineProblems(config), []);
    const withVendors = mergeConfigs(config, readYaml(deploy('collector', 'vendors.yaml')));
    assert.deepEqual(pipelineProblems(withVendors), []);
    // The OTLP/HTTP port the services send to is one the Collector's receiver listens on.
    const sentTo = hostPort(env('frontend').OTEL_EXPORTER_OTLP_ENDPOINT ?? '');
    const http = (config.receivers?.otlp as { protocols: { http: { endpoint: string } } }).protocols.http;
    assert.equal(sentTo?.host, 'otel-collector');
    assert.equal(hostPort(http.endpoint)?.port, sentTo?.port);
    for (const { value } of valuesOfKey(config.receivers, 'endpoint')) {
      noneUnreachable('otel-collector', [String(value).replace('0.0.0.0', 'localhost')]);
    }
    const exporters = Object.entries(config.exporters ?? {}).filter(([name]) => name.startsWith('otlp'));
    assert.ok(exporters.length >= 2, 'the Collector fans out to Tempo and Jaeger');
    for (const [name, exporter] of exporters) {
      assert.ok(isRecord(exporter));
      noneUnreachable('otel-collector', [String(exporter.endpoint)]);
      assert.equal((exporter.sending_queue as { enabled?: boolean })?.enabled, true, `${name} has no queue`);
      // One exporter per pipeline: a stalled backend holds up nobody else.
      const pipelines = Object.values(config.service.pipelines).filter((p) => p.exporters?.includes(name));
      assert.equal(pipelines.length, 1);
      assert.deepEqual(pipelines[0]?.exporters, [name]);
    }
    const policies = valuesOfKey(config.processors, 'type').map(({ value }) => value);
    assert.deepEqual(policies, ['status_code', 'latency', 'probabilistic']);
  });

  it('a pipeline check that can fail: undefined and unused components are reported', () => {
    const broken = mergeConfigs(readYaml(deploy('collector', 'config.yaml')) as PipelineConfig, {
      exporters: { 'otlp/unused': { endpoint: 'tempo:4317' } },
      service: { pipelines: { 'traces/tempo': { exporters: ['otlp/typo'] } } },
    });
    const problems = pipelineProblems(broken);
    assert.ok(problems.some((p) => p.includes('otlp/typo, defined nowhere')));
    assert.ok(problems.some((p) => p.includes('otlp/unused is in no pipeline')));
  });

  it('Jaeger and Tempo receive OTLP where the Collector sends it, Tempo writes to Prometheus', () => {
    const jaeger = readYaml(deploy('jaeger', 'config.yaml')) as PipelineConfig;
    assert.deepEqual(pipelineProblems(jaeger), []);
    for (const backend of ['jaeger', 'tempo']) {
      const config = readYaml(deploy(backend, `${backend === 'jaeger' ? 'config' : backend}.yaml`));
      for (const { value } of valuesOfKey(config, 'endpoint')) {
        noneUnreachable(backend, [String(value).replace('0.0.0.0', 'localhost')]);
      }
    }
    const tempo = readYaml(deploy('tempo', 'tempo.yaml'));
    const writes = valuesOfKey(tempo, 'url').map(({ value }) => String(value));
    noneUnreachable('tempo', writes);
    const command = (stack.services.prometheus?.command ?? []).join(' ');
    assert.match(command, /--web\.enable-remote-write-receiver/);
    assert.match(command, /--enable-feature=exemplar-storage/);
  });

  it('Alloy: every reference names a component, logs reach Loki with the four contract labels only', () => {
    const components = parseAlloy(readFileSync(deploy('alloy', 'config.alloy'), 'utf8'));
    const ids = new Set(components.map((c) => `${c.name}.${c.label ?? ''}`));
    const attributes = components.flatMap((c) =>
      attributesOf(c).map(([path, value]) => [c, path, value] as const),
    );
    for (const [component, path, value] of attributes) {
      for (const reference of referencesIn(value)) {
        const owner = [...ids].find((id) => reference.startsWith(`${id}.`));
        assert.ok(
          owner,
          `${component.name} "${component.label}" ${path} names ${reference}, defined nowhere`,
        );
      }
    }
    const of = (name: string): AlloyBlock[] => components.filter((c) => c.name === name);
    const writers = of('loki.write');
    assert.equal(writers.length, 1);
    const urls = valuesOfKey(
      writers.map((w) => Object.fromEntries(attributesOf(w).map(([p, v]) => [p, v]))),
      'value',
    ).map(({ value }) => String(value));
    noneUnreachable('alloy', urls);
    // Every component that receives logs forwards them on, ending at the writer.
    const forwards = attributes.filter(([, path]) => path.endsWith('.forward_to'));
    assert.ok(forwards.length >= 2);
    const keep = of('loki.process')
      .flatMap((p) => p.blocks)
      .find((b) => b.name === 'stage.label_keep')
      ?.attributes.get('values');
    assert.ok(keep?.kind === 'list');
    assert.deepEqual(
      keep.items.map((item) => (item.kind === 'string' ? item.value : '?')).sort(),
      LOG_LABELS,
    );
    assert.ok(stack.services.alloy?.volumes?.some((v) => String(v).includes('docker.sock')));
  });

  it('an Alloy check that can fail: a syntax error and a dangling reference are caught', () => {
    assert.throws(() => parseAlloy('loki.write "x" { endpoint { url = } }'), SyntaxError);
    const [component] = parseAlloy('loki.process "p" { forward_to = [loki.write.nowhere.receiver] }');
    assert.deepEqual(referencesIn(component!.attributes.get('forward_to')!), ['loki.write.nowhere.receiver']);
  });

  it('Grafana: data sources reach their backends, every uid a dashboard or alert names is provisioned', () => {
    const provisioned = filesIn(deploy('grafana', 'provisioning', 'datasources'), ['.yaml', '.yml']).flatMap(
      (file) =>
        (readYaml(file) as { datasources: { uid: string; url?: string; user?: string }[] }).datasources,
    );
    const uids = new Set(provisioned.map((source) => source.uid));
    for (const uid of [
      'prometheus',
      'alertmanager',
      'loki',
      'tempo',
      'jaeger',
      'postgres-orders',
      'postgres-inventory',
    ]) {
      assert.ok(uids.has(uid), `data source ${uid} is not provisioned`);
    }
    noneUnreachable(
      'grafana',
      provisioned.flatMap((source) => (source.url ? [source.url] : [])),
    );
    const grafanaEnv = env('grafana');
    for (const file of filesIn(deploy('grafana', 'provisioning', 'datasources'), ['.yaml', '.yml'])) {
      for (const [, name] of readFileSync(file, 'utf8').matchAll(/\$\{(\w+)\}/g)) {
        assert.ok(grafanaEnv[name!], `${file} reads $${name}, which the grafana container lacks`);
      }
    }
    const referenced = [
      ...filesIn(deploy('grafana', 'dashboards'), ['.json']).map(
        (file) => [file, JSON.parse(readFileSync(file, 'utf8'))] as const,
      ),
      ...['alerting', 'datasources'].flatMap((dir) =>
        filesIn(deploy('grafana', 'provisioning', dir), ['.yaml', '.yml']).map(
          (file) => [file, readYaml(file)] as const,
        ),
      ),
    ].flatMap(([file, tree]) => [
      ...valuesOfKey(tree, 'datasource').flatMap(({ path, value }) =>
        isRecord(value) && typeof value.uid === 'string' ? [{ file, path, uid: value.uid }] : [],
      ),
      ...valuesOfKey(tree, 'datasourceUid').map(({ path, value }) => ({ file, path, uid: String(value) })),
    ]);
    assert.ok(referenced.length > 0);
    const unknown = referenced.filter(
      ({ uid }) => !uids.has(uid) && !BUILT_IN_UIDS.has(uid) && !uid.startsWith('$'),
    );
    assert.deepEqual(unknown, []);
  });

  it('Alertmanager: every receiver inside the stack is a Compose service that listens', () => {
    const config = readYaml(deploy('alertmanager', 'stack.yml'));
    // Single-label hosts are Compose names; dotted ones are the outside world (placeholders).
    const inside = valuesOfKey(config, 'url')
      .map(({ value }) => String(value))
      .filter((url) => !(hostPort(url)?.host ?? '').includes('.'));
    noneUnreachable('alertmanager', inside);
  });

  it('dev, test and prod set the same variables, and each backend reads only variables they set', () => {
    const envFiles = filesIn(deploy('env'), ['.env']);
    assert.deepEqual(
      envFiles.map((file) => file.split('/').at(-1)),
      ['dev.env', 'prod.env', 'test.env'],
    );
    const keysOf = (file: string): string[] =>
      readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => /^[A-Z_]+=/.test(line))
        .map((line) => line.slice(0, line.indexOf('=')))
        .sort();
    const keys = keysOf(envFiles[0]!);
    for (const file of envFiles) assert.deepEqual(keysOf(file), keys, file);
    // ${env:X} (Collector), ${X:-default} (Loki, Tempo with -config.expand-env), $${X:-…} (Prometheus' shell).
    const read = [
      ...['collector/config.yaml', 'loki/loki.yaml', 'tempo/tempo.yaml'].map((path) =>
        readFileSync(deploy(path), 'utf8'),
      ),
      (stack.services.prometheus?.command ?? []).join(' '),
    ].flatMap((text) => [...text.matchAll(/\$\{(?:env:)?([A-Z_][A-Z0-9_]*)/g)].map((match) => match[1]!));
    assert.ok(read.length >= 5);
    for (const name of new Set(read))
      assert.ok(keys.includes(name), `${name} is read but set by no env file`);
    for (const name of ['prometheus', 'loki', 'tempo', 'otel-collector', 'frontend']) {
      // docker-compose config writes the env file's variables into each environment.
      assert.equal(
        stack.services[name]?.environment?.DEPLOYMENT_ENVIRONMENT,
        'dev',
        `${name} reads no env file`,
      );
    }
  });

  it('the exporters and the Collector find what they watch', () => {
    noneUnreachable('postgres-exporter', [env('postgres-exporter').DATA_SOURCE_URI ?? 'unset']);
    noneUnreachable('redis-exporter', [env('redis-exporter').REDIS_ADDR ?? 'unset']);
  });
});
