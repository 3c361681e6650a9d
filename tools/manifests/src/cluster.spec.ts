import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { parse, stringify } from 'yaml';
import { CLUSTER_HOSTS } from './hosts.js';
import { NODE_PORTS } from './monitoring-values.js';
import { REPO_ROOT } from './repo.js';
import { COLLECTOR_HOST, OTLP_HTTP_PORT } from './shop.js';

const run = promisify(execFile);
const K3D = join(REPO_ROOT, 'deploy', 'k3d');
const HELM = join(REPO_ROOT, 'deploy', 'helm');
const values = (name: string): Record<string, unknown> =>
  parse(readFileSync(join(HELM, `${name}.values.yaml`), 'utf8')) as Record<string, unknown>;
const at = (tree: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], tree);

/** Runs a script with a PATH holding only what a bare machine has: bash and coreutils. */
async function runBare(script: string): Promise<{ code: number; stderr: string }> {
  const bin = await mkdtemp(join(tmpdir(), 'glasshouse-bare-path-'));
  try {
    for (const tool of ['bash', 'dirname', 'cat', 'printf', 'sed'])
      await symlink(`/usr/bin/${tool}`, join(bin, tool));
    await run(join(bin, 'bash'), [script], { env: { PATH: bin } });
    return { code: 0, stderr: '' };
  } catch (error) {
    const failure = error as { code: number; stderr: string };
    return { code: failure.code, stderr: failure.stderr };
  } finally {
    await rm(bin, { recursive: true, force: true });
  }
}

describe('the k3d cluster and its scripts', () => {
  it('has one server and two agents, and publishes the shop, Grafana, Prometheus and Jaeger on localhost', () => {
    const config = parse(readFileSync(join(K3D, 'cluster.yaml'), 'utf8')) as {
      servers: number;
      agents: number;
      ports: { port: string }[];
    };
    assert.equal(config.servers, 1);
    assert.equal(config.agents, 2);
    const published = Object.fromEntries(
      config.ports.map((p) => {
        const [, host, node] = /^127\.0\.0\.1:(\d+):(\d+)$/.exec(p.port) ?? [];
        return [Number(node), Number(host)];
      }),
    );
    assert.equal(published[80], 8080, 'Traefik: the shop and Grafana by host name');
    for (const [name, nodePort] of Object.entries(NODE_PORTS))
      assert.ok(published[nodePort], `${name}'s NodePort ${nodePort} is published`);
  });

  it('pass bash -n, and say which tools are missing on a machine without them', async () => {
    for (const script of ['up.sh', 'down.sh']) await run('bash', ['-n', join(K3D, script)]);
    const up = await runBare(join(K3D, 'up.sh'));
    assert.equal(up.code, 1);
    assert.match(up.stderr, /missing on PATH: docker k3d kubectl helm openssl/);
    const down = await runBare(join(K3D, 'down.sh'));
    assert.equal(down.code, 1);
    assert.match(down.stderr, /missing on PATH: docker k3d/);
  });

  it('installs every values file with a pinned chart version', () => {
    const up = readFileSync(join(K3D, 'up.sh'), 'utf8');
    const installs = [...up.matchAll(/^install \S+ \S+ [\w-]+\/([\w-]+) "\$(\w+)"$/gm)];
    const pinned = new Map([...up.matchAll(/^([A-Z_]+)=(\d+\.\d+\.\d+)$/gm)].map((m) => [m[1], m[2]]));
    const charts = installs.map((m) => m[1]);
    for (const m of installs) assert.ok(pinned.get(m[2] ?? ''), `${m[1]} is pinned`);
    for (const file of [
      'kube-prometheus-stack',
      'loki',
      'tempo',
      'jaeger',
      'opentelemetry-collector',
      'alloy',
    ])
      assert.ok(charts.includes(file), `up.sh installs ${file}`);
  });
});

describe('the charts values', () => {
  it('size the volumes as seed 001 does: Prometheus 10 Gi, Loki 10 Gi, Grafana 5 Gi', () => {
    const stack = values('kube-prometheus-stack');
    assert.equal(
      at(stack, 'prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec.resources.requests.storage'),
      '10Gi',
    );
    assert.equal(at(stack, 'grafana.persistence.size'), '5Gi');
    assert.equal(at(values('loki'), 'singleBinary.persistence.size'), '10Gi');
  });

  it('route alerts with deploy/alertmanager/stack.yml, a configuration amtool accepts', async () => {
    const config = at(values('kube-prometheus-stack'), 'alertmanager.config') as { route: unknown };
    const source = parse(readFileSync(join(REPO_ROOT, 'deploy/alertmanager/stack.yml'), 'utf8')) as {
      route: unknown;
    };
    assert.deepEqual(config.route, source.route);
    const dir = await mkdtemp(join(tmpdir(), 'glasshouse-amtool-'));
    try {
      await writeFile(join(dir, 'alertmanager.yml'), stringify(config));
      const { stdout } = await run('amtool', ['check-config', join(dir, 'alertmanager.yml')]);
      assert.match(stdout, /SUCCESS/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("provision Grafana with the contract's data source uids, every host inside the cluster", () => {
    const files = at(values('kube-prometheus-stack'), 'grafana.datasources') as Record<
      string,
      { datasources: { uid: string; url: string }[] }
    >;
    const sources = Object.values(files).flatMap((f) => f.datasources);
    const uids = sources.map((s) => s.uid).sort();
    for (const uid of [
      'prometheus',
      'alertmanager',
      'loki',
      'tempo',
      'jaeger',
      'postgres-orders',
      'postgres-inventory',
    ])
      assert.ok(uids.includes(uid), uid);
    const inCluster = new Set(Object.values(CLUSTER_HOSTS));
    for (const source of sources) {
      const host = /^(?:\w+:\/\/)?([^:/]+)/.exec(source.url)?.[1] ?? '';
      assert.ok(inCluster.has(host), `${source.uid}: ${source.url}`);
    }
  });

  it("ship logs with the contract's four stream labels, to Loki in the cluster", () => {
    const content = String(at(values('alloy'), 'alloy.configMap.content'));
    const kept = [...content.matchAll(/stage\.label_keep \{\s*values = \[([^\]]*)\]/g)].map((m) =>
      (m[1] ?? '').split(',').map((s) => s.trim().replaceAll('"', '')),
    );
    assert.equal(kept.length, 2, 'pod logs and events');
    for (const labels of kept)
      assert.deepEqual(labels.sort(), [
        'deployment_environment',
        'level',
        'service_name',
        'service_namespace',
      ]);
    assert.match(content, new RegExp(`url = "http://${CLUSTER_HOSTS.loki}:3100/loki/api/v1/push"`));
    assert.equal(at(values('alloy'), 'controller.type'), 'daemonset');
  });

  it('receive the shop spans where the services send them, and pass them to Tempo and Jaeger', () => {
    const collector = values('opentelemetry-collector');
    assert.equal(`${String(collector.fullnameOverride)}.observability.svc`, COLLECTOR_HOST);
    const config = collector.alternateConfig as {
      receivers: { otlp: { protocols: { http: { endpoint: string } } } };
      exporters: Record<string, { endpoint: string }>;
    };
    assert.match(config.receivers.otlp.protocols.http.endpoint, new RegExp(`:${OTLP_HTTP_PORT}$`));
    const hosts = Object.values(config.exporters).flatMap((e) =>
      e.endpoint ? [e.endpoint.split(':')[0]] : [],
    );
    assert.deepEqual(hosts.sort(), [CLUSTER_HOSTS.jaeger, CLUSTER_HOSTS.tempo].sort());
    const env = (collector.extraEnvs as { name: string; value: string }[]).map((e) => e.name);
    for (const [, name] of JSON.stringify(config).matchAll(/\$\{env:(\w+)\}/g))
      assert.ok(env.includes(name ?? ''), `the collector's ${name} is set`);
  });
});
