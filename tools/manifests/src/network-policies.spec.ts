import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { SERVICES, serviceSpec } from '@glasshouse/kit/core';
import { KUBERNETES_DIR } from './base.js';
import type { Edge } from './inspect.js';
import { byKind, edge, policyEdges, portsFromNamespace } from './inspect.js';
import type { Rendered } from './kustomize.js';
import { kustomizeWith } from './kustomize.js';
import { EXPORTER_PORTS } from './exporters.js';
import { EXTRA_CLIENTS } from './network-policies.js';
import { REPO_ROOT } from './repo.js';
import { NAMESPACES, OTLP_HTTP_PORT, POSTGRES_PORT, REDIS_PORT, workloads } from './shop.js';

const dir = (path: string): string => join(REPO_ROOT, KUBERNETES_DIR, path);
let policies: Rendered[] = [];

before(async () => {
  policies = byKind(await kustomizeWith(dir('base'), [dir('components/network-policies')]), 'NetworkPolicy');
});

/** The connections the table implies: its call graph, the stores' owners, and the extra clients. */
function expectedEdges(): Set<Edge> {
  const edges = new Set<Edge>();
  const list = workloads();
  for (const w of list) {
    for (const target of w.spec.calls) edges.add(edge(w.name, target, serviceSpec(target).port));
    if (w.spec.store === 'postgres') edges.add(edge(w.name, 'postgres', POSTGRES_PORT));
    if (w.spec.store === 'redis') edges.add(edge(w.name, 'redis', REDIS_PORT));
  }
  for (const client of EXTRA_CLIENTS.frontend)
    edges.add(edge(client, 'frontend', serviceSpec('frontend').port));
  for (const client of EXTRA_CLIENTS.postgres) edges.add(edge(client, 'postgres', POSTGRES_PORT));
  // Redis replicas and sentinels among themselves (three nodes in prod).
  edges.add(edge('redis', 'redis', REDIS_PORT));
  edges.add(edge('redis', 'redis', 26379));
  return edges;
}

/** The kit's table of the shop's APIs: the name a caller gives an API → the service serving it. */
function shopApiTargets(): Map<string, string> {
  const source = readFileSync(join(REPO_ROOT, 'packages/kit/src/shop-apis.ts'), 'utf8');
  return new Map(
    [...source.matchAll(/^\s*(\w+): api\(\s*'([a-z]+)'/gm)].map((m) => [m[1] ?? '', m[2] ?? '']),
  );
}

/**
 * Services a service's code makes clients of: `client(Client, Definition, 'target')`,
 * `dependencyAddress(env, 'target')`, or the APIs named in `shopClientsOf(client, { api: … })`.
 */
function calledInCode(name: string): Set<string> {
  const srcDir = join(REPO_ROOT, 'services', name, 'src');
  const sources = readdirSync(srcDir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'))
    .map((f) => readFileSync(join(srcDir, f), 'utf8'))
    .join('\n');
  const patterns = [/client\(\s*[\w.]+,\s*[\w.]+,\s*'([a-z]+)'/g, /dependencyAddress\(\s*\w+,\s*'([a-z]+)'/g];
  const called = patterns.flatMap((p) => [...sources.matchAll(p)].map((m) => m[1] ?? ''));
  const apis = shopApiTargets();
  for (const start of [...sources.matchAll(/shopClientsOf\(/g)].map((m) => m.index)) {
    const block = sources.slice(start, sources.indexOf('});', start));
    for (const [, api] of block.matchAll(/^\s*(\w+):/gm)) {
      const target = apis.get(api ?? '');
      assert.ok(target, `${name} asks for an API the kit does not list: ${api}`);
      called.push(target);
    }
  }
  return new Set(called);
}

describe('the network policies', () => {
  it('deny everything by default in the shop namespace, DNS excepted', () => {
    const deny = policies.find((p) => p.metadata.name === 'default-deny');
    assert.deepEqual(deny?.spec, { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    assert.ok(policies.every((p) => p.metadata.namespace === NAMESPACES.shop));
  });

  it('allow exactly the call graph, the stores and the extra clients, on both ends of each edge', () => {
    const { ingress, egress } = policyEdges(policies);
    const expected = [...expectedEdges()].sort();
    assert.deepEqual([...ingress].sort(), expected, 'ingress rules');
    assert.deepEqual([...egress].sort(), expected, 'egress rules');
  });

  it('let Prometheus in on each admin port and exporter, Grafana to PostgreSQL, and spans out to the collector', () => {
    for (const w of workloads()) {
      assert.deepEqual(
        portsFromNamespace(policies, w.name, NAMESPACES.monitoring),
        [w.spec.adminPort],
        w.name,
      );
      const own = policies.find((p) => p.metadata.name === w.name);
      const out = JSON.stringify((own?.spec as { egress: unknown[] }).egress);
      assert.ok(
        out.includes(`"${NAMESPACES.observability}"`) && out.includes(`"port":${OTLP_HTTP_PORT}`),
        w.name,
      );
    }
    assert.deepEqual(
      portsFromNamespace(policies, 'frontend', 'kube-system'),
      [8080],
      'Traefik reaches the shop',
    );
    const monitoring = (target: string) => portsFromNamespace(policies, target, NAMESPACES.monitoring);
    assert.deepEqual(
      monitoring('postgres'),
      [POSTGRES_PORT, EXPORTER_PORTS.postgres],
      'Grafana, the exporter',
    );
    assert.deepEqual(monitoring('redis'), [EXPORTER_PORTS.redis]);
  });

  it('know every dependency the code has: a client missing from the table (and so from the policies) fails', () => {
    for (const spec of SERVICES.filter((s) => s.implemented)) {
      assert.deepEqual([...calledInCode(spec.name)].sort(), [...spec.calls].sort(), spec.name);
    }
  });

  it('would miss an edge added to the code but not to the table', () => {
    const { ingress } = policyEdges(policies);
    assert.equal(ingress.has(edge('checkout', 'recommendation', serviceSpec('recommendation').port)), false);
    assert.equal(ingress.has(edge('checkout', 'cart', serviceSpec('cart').port)), true);
  });
});
