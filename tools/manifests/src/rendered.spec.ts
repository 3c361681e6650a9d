import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { serviceSpec } from '@glasshouse/kit/core';
import { KUBERNETES_DIR } from './base.js';
import type { ComponentName } from './components.js';
import { COMPONENTS } from './components.js';
import type { Rendered } from './kustomize.js';
import { kustomize, kustomizeWith } from './kustomize.js';
import { byKind, podOwners, selects } from './inspect.js';
import { RULES_DIR, listFiles } from './monitoring.js';
import { OVERLAYS, PROD_REPLICAS } from './overlays.js';
import { REPO_ROOT } from './repo.js';
import { schemaProblems } from './schemas.js';
import { IMAGES, NAMESPACES, PASSWORD_PLACEHOLDER, SHOP_IMAGE, USERS, workloads } from './shop.js';

const dir = (path: string): string => join(REPO_ROOT, KUBERNETES_DIR, path);
const renders = new Map<string, Rendered[]>();
const rendered = (name: string): Rendered[] => {
  const objects = renders.get(name);
  assert.ok(objects, `${name} was not rendered`);
  return objects;
};
const everything = (): [string, Rendered[]][] => [...renders.entries()];

before(async () => {
  for (const overlay of OVERLAYS)
    renders.set(`overlay ${overlay}`, await kustomize(dir(`overlays/${overlay}`)));
  renders.set('base', await kustomize(dir('base')));
  for (const component of COMPONENTS)
    renders.set(`base + ${component}`, await kustomizeWith(dir('base'), [dir(`components/${component}`)]));
  // Every pair, so that two components that touch the same objects are seen together.
  for (const [i, first] of COMPONENTS.entries())
    for (const second of COMPONENTS.slice(i + 1))
      renders.set(
        `base + ${first} + ${second}`,
        await kustomizeWith(dir('base'), [dir(`components/${first}`), dir(`components/${second}`)]),
      );
  renders.set(
    'base + every component',
    await kustomizeWith(
      dir('base'),
      COMPONENTS.map((c: ComponentName) => dir(`components/${c}`)),
    ),
  );
});

describe('every overlay and component combination', () => {
  it('renders with kubectl kustomize (overlays, base, each component, each pair, all), each object valid', () => {
    const pairs = (COMPONENTS.length * (COMPONENTS.length - 1)) / 2;
    assert.equal(renders.size, OVERLAYS.length + COMPONENTS.length + pairs + 2);
    for (const [name, objects] of everything()) {
      assert.ok(objects.length > 0, `${name} rendered nothing`);
      assert.deepEqual(objects.flatMap(schemaProblems), [], name);
    }
  });

  it('fails an object the schema does not allow', () => {
    const deployment = byKind(rendered('base'), 'Deployment')[0];
    assert.ok(deployment);
    const broken = { ...deployment, spec: { ...(deployment.spec as object), replicas: 'three' } };
    assert.equal(schemaProblems(broken).length, 1);
    const cluster = byKind(rendered('overlay prod'), 'Cluster')[0];
    assert.ok(cluster);
    const misspelt = { ...cluster, spec: { ...(cluster.spec as object), instance: 2 } };
    assert.notDeepEqual(schemaProblems(misspelt), []);
  });

  it('hardens every container: probes where long-running, requests, limits, non-root, read-only, no capabilities', () => {
    for (const [name, objects] of everything()) {
      for (const owner of podOwners(objects)) {
        const where = `${name}: ${owner.kind} ${owner.name}`;
        const pod = owner.pod;
        assert.equal(pod.securityContext?.runAsNonRoot, true, where);
        assert.ok((pod.securityContext?.runAsUser ?? 0) > 0, where);
        assert.equal(pod.securityContext?.seccompProfile?.type, 'RuntimeDefault', where);
        assert.equal(pod.automountServiceAccountToken, false, where);
        for (const c of [...(pod.initContainers ?? []), ...pod.containers]) {
          const at = `${where} container ${c.name}`;
          for (const kind of ['requests', 'limits'] as const)
            for (const resource of ['cpu', 'memory'])
              assert.ok(c.resources?.[kind]?.[resource], `${at}: ${kind}.${resource}`);
          assert.equal(c.securityContext?.readOnlyRootFilesystem, true, at);
          assert.equal(c.securityContext?.allowPrivilegeEscalation, false, at);
          assert.notEqual(c.securityContext?.privileged, true, at);
          assert.deepEqual(c.securityContext?.capabilities?.drop, ['ALL'], at);
          if (owner.kind === 'Deployment' || owner.kind === 'StatefulSet') {
            assert.ok(c.livenessProbe, `${at}: liveness probe`);
            assert.ok(c.readinessProbe, `${at}: readiness probe`);
          }
        }
      }
    }
  });

  it('probes the table services on their admin port: /healthz for liveness, /readyz for readiness', () => {
    for (const w of workloads()) {
      const deployment = podOwners(rendered('base')).find(
        (o) => o.kind === 'Deployment' && o.name === w.name,
      );
      const container = deployment?.pod.containers[0];
      assert.ok(container, w.name);
      const admin = container.ports?.find((p) => p.name === container.livenessProbe?.httpGet?.port);
      assert.equal(admin?.containerPort, w.spec.adminPort, w.name);
      assert.equal(container.livenessProbe?.httpGet?.path, '/healthz');
      assert.equal(container.readinessProbe?.httpGet?.path, '/readyz');
      assert.deepEqual(container.args, [w.name]);
    }
  });

  it('runs only the image the Dockerfile builds and pinned official images', () => {
    const dockerfile = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8');
    assert.match(dockerfile, /^ENTRYPOINT /m, 'the root Dockerfile runs the service named by its args');
    assert.match(
      dockerfile,
      new RegExp(`^USER ${USERS.shop}:${USERS.shop}$`, 'm'),
      'the user the pods run as',
    );
    const official = new Set<string>(Object.values(IMAGES));
    for (const [name, objects] of everything()) {
      for (const owner of podOwners(objects)) {
        for (const c of owner.pod.containers) {
          const image = c.image ?? '';
          if (image === SHOP_IMAGE) {
            assert.ok(
              c.args?.[0] && serviceSpec(c.args[0] as never),
              `${name}: ${owner.name} names a service`,
            );
            continue;
          }
          assert.ok(official.has(image), `${name}: ${owner.name} runs ${image}, not a pinned image of ours`);
          assert.match(image, /:v?\d[\w.-]*$/, `${image}: a version tag`);
        }
      }
    }
  });

  it('holds no real credential in any Secret: only the marked placeholder up.sh replaces', () => {
    const upScript = readFileSync(join(REPO_ROOT, 'deploy/k3d/up.sh'), 'utf8');
    assert.ok(
      upScript.includes(PASSWORD_PLACEHOLDER),
      'up.sh swaps the placeholder for a generated password',
    );
    for (const [name, objects] of everything()) {
      for (const secret of byKind(objects, 'Secret')) {
        const { data, stringData } = secret as { data?: unknown; stringData?: Record<string, string> };
        assert.equal(data, undefined, `${name}: ${secret.metadata.name} carries encoded data`);
        assert.deepEqual(Object.keys(stringData ?? {}).sort(), ['password', 'username']);
        assert.equal(stringData?.password, PASSWORD_PLACEHOLDER, `${name}: ${secret.metadata.name}`);
      }
    }
  });

  it('gives every Deployment and StatefulSet a Service, and with monitoring a ServiceMonitor scraping it', () => {
    type MonitorSpec = {
      selector: {
        matchLabels: Record<string, string>;
        matchExpressions: { key: string; operator: string; values: string[] }[];
      };
      namespaceSelector: { matchNames: string[] };
      endpoints: { port: string }[];
    };
    for (const [name, objects] of everything()) {
      const monitors = byKind(objects, 'ServiceMonitor').map((m) => m.spec as MonitorSpec);
      const owners = podOwners(objects).filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet');
      for (const owner of owners) {
        const services = byKind(objects, 'Service').filter(
          (s) =>
            s.metadata.namespace === owner.namespace &&
            selects((s.spec as { selector?: Record<string, string> }).selector, owner.labels),
        );
        assert.ok(services.length > 0, `${name}: no Service for ${owner.name}`);
        if (!name.includes('monitoring') && name !== 'overlay dev' && name !== 'overlay prod') continue;
        // A table service on its admin port; anything else (flagd, the stores' exporters) on a port its Service names.
        const adminPort = workloads().find((x) => x.name === owner.name)?.spec.adminPort;
        const scraped = (service: Rendered, monitor: MonitorSpec): boolean => {
          const labels = service.metadata.labels ?? {};
          const ports = (service.spec as { ports: { name: string; port: number }[] }).ports;
          return (
            selects(monitor.selector.matchLabels, labels) &&
            monitor.selector.matchExpressions.every(
              (e) => e.operator === 'In' && e.values.includes(labels[e.key] ?? ''),
            ) &&
            monitor.namespaceSelector.matchNames.includes(owner.namespace ?? '') &&
            monitor.endpoints.some((e) => {
              const port = ports.find((p) => p.name === e.port)?.port;
              return port !== undefined && (adminPort === undefined || port === adminPort);
            })
          );
        };
        const covered = services.some((service) => monitors.some((monitor) => scraped(service, monitor)));
        assert.ok(covered, `${name}: no ServiceMonitor scrapes ${owner.kind} ${owner.name}`);
      }
    }
  });

  it('labels every scraped target with the contract: service from the Service, namespace="glasshouse"', () => {
    const [monitor] = byKind(rendered('base + monitoring'), 'ServiceMonitor');
    const spec = monitor?.spec as {
      jobLabel?: string;
      targetLabels?: string[];
      endpoints: { relabelings: { targetLabel: string; replacement?: string; sourceLabels?: string[] }[] }[];
    };
    assert.equal(spec.jobLabel, undefined, 'job and service are the Service name, as the operator sets them');
    for (const endpoint of spec.endpoints) {
      const last = endpoint.relabelings.filter((r) => r.targetLabel === 'namespace').at(-1);
      assert.deepEqual([last?.replacement, last?.sourceLabels], ['glasshouse', undefined]);
    }
  });

  it('turns every rule file of deploy/prometheus/rules into a PrometheusRule with the same groups', () => {
    const files = listFiles(join(REPO_ROOT, RULES_DIR), /\.ya?ml$/);
    const rules = byKind(rendered('base + monitoring'), 'PrometheusRule');
    assert.equal(rules.length, files.length);
    for (const file of files) {
      const rule = rules.find(
        (r) => r.metadata.name === `glasshouse-${basename(file).replace(/\.ya?ml$/, '')}`,
      );
      const source = parse(readFileSync(file, 'utf8')) as { groups: unknown };
      assert.deepEqual((rule?.spec as { groups: unknown } | undefined)?.groups, source.groups, file);
    }
  });

  it('scales the frontend from 2 to 10 at 50 % CPU, and runs 3 of frontend, checkout and cart in prod', () => {
    const hpa = byKind(rendered('base + autoscaling'), 'HorizontalPodAutoscaler').find(
      (h) => h.metadata.name === 'frontend',
    );
    assert.deepEqual(
      {
        min: (hpa?.spec as { minReplicas: number }).minReplicas,
        max: (hpa?.spec as { maxReplicas: number }).maxReplicas,
        cpu: (hpa?.spec as { metrics: { resource: { target: { averageUtilization: number } } }[] }).metrics[0]
          ?.resource.target.averageUtilization,
      },
      { min: 2, max: 10, cpu: 50 },
    );
    const prod = rendered('overlay prod');
    for (const [service, count] of Object.entries(PROD_REPLICAS)) {
      const deployment = byKind(prod, 'Deployment').find((d) => d.metadata.name === service);
      assert.equal((deployment?.spec as { replicas: number }).replicas, count, service);
      const scaler = byKind(prod, 'HorizontalPodAutoscaler').find((h) => h.metadata.name === service);
      assert.equal((scaler?.spec as { minReplicas: number }).minReplicas, count, service);
    }
    for (const d of byKind(rendered('overlay dev'), 'Deployment'))
      assert.equal((d.spec as { replicas: number }).replicas, 1, d.metadata.name);
  });

  it('runs PostgreSQL as CloudNativePG primary + replica and Redis as three Sentinel nodes in prod', () => {
    const prod = rendered('overlay prod');
    assert.equal(
      byKind(prod, 'StatefulSet').find((s) => s.metadata.name === 'postgres'),
      undefined,
      'the StatefulSet gives way to the operator',
    );
    const cluster = byKind(prod, 'Cluster')[0];
    assert.equal((cluster?.spec as { instances: number }).instances, 2);
    const redis = byKind(prod, 'StatefulSet').find((s) => s.metadata.name === 'redis');
    assert.equal((redis?.spec as { replicas: number }).replicas, 3);
    const names = podOwners([redis as Rendered])[0]?.pod.containers.map((c) => c.name);
    assert.deepEqual(names?.sort(), ['redis', 'redis-exporter', 'sentinel']);
    const env = byKind(prod, 'ConfigMap').find((c) => c.metadata.name === 'shop-environment');
    assert.match(String((env?.data as Record<string, string>).POSTGRES_HOST), /^postgres-rw\./);
    assert.equal(
      byKind(prod, 'Deployment').find((d) => d.metadata.name === 'loadgen'),
      undefined,
    );
    for (const ingress of byKind(prod, 'Ingress'))
      assert.ok((ingress.spec as { tls?: unknown[] }).tls?.length, `${ingress.metadata.name} has TLS`);
  });

  it('puts the shop, the monitoring and the telemetry pipeline in their namespaces', () => {
    const names = byKind(rendered('base'), 'Namespace').map((n) => n.metadata.name);
    assert.deepEqual(names.sort(), Object.values(NAMESPACES).sort());
  });
});
