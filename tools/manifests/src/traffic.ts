import { readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { CronJob } from 'kubernetes-models/batch/v1/CronJob';
import { Job } from 'kubernetes-models/batch/v1/Job';
import type { IIoK8sApiCoreV1PodSpec } from 'kubernetes-models/v1/PodSpec';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { serviceSpec } from '@glasshouse/kit/core';
import { CONTAINER_SECURITY, podSecurity, scratch } from './hardening.js';
import { labels } from './labels.js';
import { IMAGES, NAMESPACES, STORE_RESOURCES, USERS } from './shop.js';

export const K6_SCRIPT = 'deploy/k6/shop.ts';
const SCRIPTS_MOUNT = '/scripts';

/** The k6 script and every file it imports by relative path, as repository paths. */
export function scriptFiles(root: string, entry: string = K6_SCRIPT): string[] {
  const found: string[] = [];
  const visit = (path: string): void => {
    if (found.includes(path)) return;
    found.push(path);
    const source = readFileSync(join(root, path), 'utf8');
    for (const match of source.matchAll(/\bfrom\s+'(\.{1,2}\/[^']+)'/g)) {
      const spec = match[1] ?? '';
      visit(normalize(join(dirname(path), spec.replace(/\.js$/, '.ts'))));
    }
  };
  visit(entry);
  return found;
}

/** ConfigMap keys cannot hold slashes; the volume's items put each file back at its path. */
const keyOf = (path: string): string => path.replaceAll('/', '__');

export function k6Objects(root: string): [ConfigMap, Job, CronJob] {
  const files = scriptFiles(root);
  const scripts = new ConfigMap({
    metadata: { name: 'k6-scripts', namespace: NAMESPACES.shop, labels: labels('k6', 'traffic') },
    data: Object.fromEntries(files.map((path) => [keyOf(path), readFileSync(join(root, path), 'utf8')])),
  });
  const tmp = scratch({ tmp: '/tmp' });
  const frontend = serviceSpec('frontend');
  const pod = (shoppers: number, seconds: number): IIoK8sApiCoreV1PodSpec => ({
    restartPolicy: 'Never',
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    securityContext: podSecurity(USERS.k6),
    containers: [
      {
        name: 'k6',
        image: IMAGES.k6,
        args: ['run', '--quiet', `${SCRIPTS_MOUNT}/${relative('.', K6_SCRIPT)}`],
        env: [
          { name: 'LOADGEN_TARGET_URL', value: `http://frontend.${NAMESPACES.shop}.svc:${frontend.port}` },
          { name: 'LOADGEN_SHOPPERS', value: String(shoppers) },
          { name: 'LOADGEN_DURATION_S', value: String(seconds) },
        ],
        resources: STORE_RESOURCES.k6,
        securityContext: CONTAINER_SECURITY,
        volumeMounts: [{ name: 'scripts', mountPath: SCRIPTS_MOUNT, readOnly: true }, ...tmp.mounts],
      },
    ],
    volumes: [
      {
        name: 'scripts',
        configMap: { name: 'k6-scripts', items: files.map((path) => ({ key: keyOf(path), path })) },
      },
      ...tmp.volumes,
    ],
  });
  const template = (shoppers: number, seconds: number) => ({
    backoffLimit: 0,
    activeDeadlineSeconds: seconds + 300,
    ttlSecondsAfterFinished: 3600,
    template: { metadata: { labels: labels('k6', 'traffic') }, spec: pod(shoppers, seconds) },
  });
  const initial = new Job({
    metadata: { name: 'k6-initial', namespace: NAMESPACES.shop, labels: labels('k6', 'traffic') },
    spec: template(5, 300),
  });
  const schedule = new CronJob({
    metadata: { name: 'k6', namespace: NAMESPACES.shop, labels: labels('k6', 'traffic') },
    spec: {
      schedule: '*/15 * * * *',
      concurrencyPolicy: 'Forbid',
      successfulJobsHistoryLimit: 2,
      failedJobsHistoryLimit: 2,
      jobTemplate: { spec: template(10, 600) },
    },
  });
  return [scripts, initial, schedule];
}
