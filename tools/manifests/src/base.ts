import type { Files } from './output.js';
import { kustomization, yamlDocuments } from './output.js';
import { shopDatabases, workloads } from './shop.js';
import { namespaces, postgres, postgresInit, postgresSecret, redis, shopEnvironment } from './stores.js';
import { workloadObjects } from './workloads.js';

export const KUBERNETES_DIR = 'deploy/kubernetes';

/** The kustomize base: namespaces, the stores, and every implemented service of the table. */
export function baseFiles(): Files {
  const dir = `${KUBERNETES_DIR}/base`;
  const files: Files = new Map();
  const list = workloads();
  files.set(`${dir}/namespaces.yaml`, yamlDocuments(namespaces()));
  files.set(`${dir}/shop-environment.yaml`, yamlDocuments([shopEnvironment()]));
  files.set(
    `${dir}/postgres.yaml`,
    yamlDocuments([postgresSecret(), postgresInit(shopDatabases(list)), ...postgres()]),
  );
  files.set(`${dir}/redis.yaml`, yamlDocuments(redis()));
  for (const w of list) files.set(`${dir}/${w.name}.yaml`, yamlDocuments(workloadObjects(w)));
  const resources = [...files.keys()].map((path) => path.slice(dir.length + 1));
  files.set(`${dir}/kustomization.yaml`, kustomization({ kind: 'Kustomization', resources }));
  return files;
}
