import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import type { IIoK8sApiCoreV1Container } from 'kubernetes-models/v1/Container';
import {
  addressVariable,
  adminAddressVariable,
  dependencyAddress,
  envReader,
  serviceSpec,
} from '@glasshouse/kit';
import { KUBERNETES_DIR } from './base.js';
import { byKind, podOwners } from './inspect.js';
import type { Rendered } from './kustomize.js';
import { kustomize } from './kustomize.js';
import { OVERLAYS } from './overlays.js';
import { REPO_ROOT } from './repo.js';
import { COLLECTOR_HOST, NAMESPACES, OTLP_HTTP_PORT, PASSWORD_PLACEHOLDER, workloads } from './shop.js';

type Data = Record<string, string>;

/**
 * A container's environment as the kubelet builds it: envFrom first, then env in order, each
 * `$(NAME)` expanded from what is defined before it (an unknown reference stays as written).
 */
function containerEnvironment(container: IIoK8sApiCoreV1Container, objects: readonly Rendered[]): Data {
  const dataOf = (kind: string, name: string): Data => {
    const object = byKind(objects, kind).find((o) => o.metadata.name === name) as
      { data?: Data; stringData?: Data } | undefined;
    assert.ok(object, `${kind} ${name} exists`);
    return { ...object.data, ...object.stringData };
  };
  const env: Data = {};
  for (const source of container.envFrom ?? [])
    if (source.configMapRef?.name) Object.assign(env, dataOf('ConfigMap', source.configMapRef.name));
  for (const variable of container.env ?? []) {
    const from = variable.valueFrom;
    // An optional Secret the operator may not have made (auth's bootstrap token): then unset.
    if (from?.secretKeyRef?.optional) continue;
    const value = from?.configMapKeyRef
      ? dataOf('ConfigMap', from.configMapKeyRef.name ?? '')[from.configMapKeyRef.key]
      : from?.secretKeyRef
        ? dataOf('Secret', from.secretKeyRef.name ?? '')[from.secretKeyRef.key]
        : (variable.value ?? '').replace(
            /\$\(([A-Z_][A-Z0-9_]*)\)/g,
            (whole, name: string) => env[name] ?? whole,
          );
    assert.ok(value !== undefined, `${variable.name} resolves`);
    env[variable.name] = value;
  }
  return env;
}

const renders = new Map<string, Rendered[]>();
before(async () => {
  for (const overlay of OVERLAYS)
    renders.set(overlay, await kustomize(join(REPO_ROOT, KUBERNETES_DIR, 'overlays', overlay)));
});

describe("each service's environment in the cluster", () => {
  it('is one its configuration readers accept: listen addresses, peers by Service DNS, store URLs, OTLP', () => {
    let checked = 0;
    for (const [overlay, objects] of renders) {
      for (const owner of podOwners(objects).filter((o) => o.kind === 'Deployment')) {
        const w = workloads().find((x) => x.name === owner.name);
        if (!w) continue;
        const where = `${overlay}: ${w.name}`;
        checked += 1;
        const env = containerEnvironment(owner.pod.containers[0] ?? { name: '' }, objects);
        const unresolved = Object.entries(env).filter(([, value]) => value.includes('$('));
        assert.deepEqual(unresolved, [], `${where}: every $(NAME) defined before use`);
        const read = envReader(env);
        if (w.spec.protocol !== 'worker')
          assert.deepEqual(read.address(addressVariable(w.name), { host: '', port: 0 }), {
            host: '0.0.0.0',
            port: w.spec.port,
          });
        // The frontend serves its probes and metrics on its one port.
        if (w.spec.adminPort !== w.spec.port)
          assert.deepEqual(read.address(adminAddressVariable(w.name), { host: '', port: 0 }), {
            host: '0.0.0.0',
            port: w.spec.adminPort,
          });
        for (const target of w.spec.calls)
          assert.equal(
            dependencyAddress(read, target),
            `${target}.${NAMESPACES.shop}.svc:${serviceSpec(target).port}`,
            where,
          );
        const database = read.url('DATABASE_URL');
        assert.equal(database?.pathname, w.database ? `/${w.database}` : undefined, where);
        if (database) {
          assert.equal(database.password, PASSWORD_PLACEHOLDER);
          assert.match(database.hostname, overlay === 'prod' ? /^postgres-rw\./ : /^postgres\./);
        }
        assert.equal(read.url('REDIS_URL')?.protocol, w.spec.store === 'redis' ? 'redis:' : undefined, where);
        assert.equal(read.url('OTEL_EXPORTER_OTLP_ENDPOINT')?.host, `${COLLECTOR_HOST}:${OTLP_HTTP_PORT}`);
        assert.equal(env.OTEL_SERVICE_NAME, w.name);
        assert.match(
          env.OTEL_RESOURCE_ATTRIBUTES ?? '',
          new RegExp(`deployment\\.environment\\.name=${overlay}$`),
        );
      }
    }
    // Every service in dev; all but the load generator in prod.
    assert.equal(checked, 2 * workloads().length - 1);
  });
});
