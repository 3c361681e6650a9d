import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CronJob } from 'kubernetes-models/batch/v1/CronJob';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { CONTAINER_SECURITY, podSecurity, scratch } from './hardening.js';
import { labels } from './labels.js';
import { IMAGES, NAMESPACES, POSTGRES_PORT, STORE_RESOURCES, USERS } from './shop.js';
import { POSTGRES_SECRET, SHOP_ENVIRONMENT } from './workloads.js';

export const BACKUP_SCRIPT = 'deploy/backup/backup.sh';

/** A nightly-and-more dump of every shop database to a volume, with deploy/backup/backup.sh. */
export function backupObjects(
  root: string,
  databases: readonly string[],
): [ConfigMap, PersistentVolumeClaim, CronJob] {
  const metadata = {
    name: 'postgres-backup',
    namespace: NAMESPACES.shop,
    labels: labels('postgres-backup', 'backup'),
  };
  const tmp = scratch({ tmp: '/tmp' });
  const secret = (key: string) => ({ secretKeyRef: { name: POSTGRES_SECRET, key } });
  return [
    new ConfigMap({ metadata, data: { 'backup.sh': readFileSync(join(root, BACKUP_SCRIPT), 'utf8') } }),
    new PersistentVolumeClaim({
      metadata,
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } } },
    }),
    new CronJob({
      metadata,
      spec: {
        schedule: '17 */6 * * *',
        concurrencyPolicy: 'Forbid',
        successfulJobsHistoryLimit: 2,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          spec: {
            backoffLimit: 2,
            activeDeadlineSeconds: 1800,
            template: {
              metadata: { labels: labels('postgres-backup', 'backup') },
              spec: {
                restartPolicy: 'OnFailure',
                automountServiceAccountToken: false,
                enableServiceLinks: false,
                securityContext: podSecurity(USERS.postgres),
                containers: [
                  {
                    name: 'backup',
                    image: IMAGES.postgres,
                    command: ['bash', '/scripts/backup.sh'],
                    args: [
                      '-d',
                      '/backups',
                      '-k',
                      '28',
                      ...databases.map(
                        (db) => `postgresql://$(PGUSER)@$(POSTGRES_HOST):${POSTGRES_PORT}/${db}`,
                      ),
                    ],
                    env: [
                      {
                        name: 'POSTGRES_HOST',
                        valueFrom: { configMapKeyRef: { name: SHOP_ENVIRONMENT, key: 'POSTGRES_HOST' } },
                      },
                      { name: 'PGUSER', valueFrom: secret('username') },
                      { name: 'PGPASSWORD', valueFrom: secret('password') },
                    ],
                    resources: STORE_RESOURCES.postgres,
                    securityContext: CONTAINER_SECURITY,
                    volumeMounts: [
                      { name: 'scripts', mountPath: '/scripts', readOnly: true },
                      { name: 'backups', mountPath: '/backups' },
                      ...tmp.mounts,
                    ],
                  },
                ],
                volumes: [
                  { name: 'scripts', configMap: { name: 'postgres-backup' } },
                  { name: 'backups', persistentVolumeClaim: { claimName: 'postgres-backup' } },
                  ...tmp.volumes,
                ],
              },
            },
          },
        },
      },
    }),
  ];
}
