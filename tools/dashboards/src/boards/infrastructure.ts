import type { Board } from '../board.js';
import { buildBoard } from '../board.js';
import { higherIsBetter, statPanel, timeSeries } from '../panels.js';
import { RATE } from '../promql.js';
import { promQuery } from '../queries.js';

const KUBERNETES = 'namespace="glasshouse"';

/** Panels that only have data on Kubernetes, kept by title for the tests. */
const CLUSTER_ONLY = [
  'Pods by phase',
  'Container restarts',
  'CPU by pod',
  'Memory by pod',
  'CPU requested and used',
] as const;

/** Hosts, PostgreSQL and Redis through their exporters; pods and containers on Kubernetes. */
export function infrastructureBoard(): Board {
  return buildBoard({
    folder: 'Platform',
    file: 'infrastructure.json',
    uid: 'glasshouse-infrastructure',
    title: 'Glasshouse / Infrastructure',
    description:
      'Hosts (node-exporter), PostgreSQL (postgres-exporter), Redis (redis-exporter), and on ' +
      'Kubernetes the shop’s pods, restarts and resources (kube-state-metrics, cAdvisor).',
    tags: ['infrastructure'],
    clusterOnly: CLUSTER_ONLY,
    sections: [
      {
        title: 'Hosts',
        panels: [
          timeSeries({
            title: 'Host CPU busy',
            description: 'Share of CPU time not idle, per host, over every core.',
            unit: 'percentunit',
            targets: [
              promQuery(
                `1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[${RATE}]))`,
                '{{instance}}',
              ),
            ],
            width: 6,
          }),
          timeSeries({
            title: 'Host load',
            description: 'Load average over one minute, per host.',
            unit: 'short',
            targets: [promQuery('max by (instance) (node_load1)', '{{instance}}')],
            width: 6,
          }),
          timeSeries({
            title: 'Host memory available',
            description: 'Share of memory available for new work, per host.',
            unit: 'percentunit',
            targets: [
              promQuery('node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes', '{{instance}}'),
            ],
            width: 6,
          }).thresholds(higherIsBetter(0.05, 0.15)),
          timeSeries({
            title: 'Host disk space used',
            description: 'Share of each real filesystem in use (tmpfs and overlays left out).',
            unit: 'percentunit',
            targets: [
              promQuery(
                '1 - max by (instance, mountpoint) (node_filesystem_avail_bytes{fstype!~"tmpfs|overlay|squashfs|ramfs"} ' +
                  '/ node_filesystem_size_bytes{fstype!~"tmpfs|overlay|squashfs|ramfs"})',
                '{{instance}} {{mountpoint}}',
              ),
            ],
            width: 6,
          }),
          timeSeries({
            title: 'Host network',
            description: 'Bytes received and sent per second, per host, over every device but loopback.',
            unit: 'Bps',
            targets: [
              promQuery(
                `sum by (instance) (rate(node_network_receive_bytes_total{device!="lo"}[${RATE}]))`,
                'in {{instance}}',
              ),
              promQuery(
                `sum by (instance) (rate(node_network_transmit_bytes_total{device!="lo"}[${RATE}]))`,
                'out {{instance}}',
              ),
            ],
          }),
          timeSeries({
            title: 'Host disk throughput',
            description: 'Bytes read and written per second, per host, over every disk.',
            unit: 'Bps',
            targets: [
              promQuery(`sum by (instance) (rate(node_disk_read_bytes_total[${RATE}]))`, 'read {{instance}}'),
              promQuery(
                `sum by (instance) (rate(node_disk_written_bytes_total[${RATE}]))`,
                'written {{instance}}',
              ),
            ],
          }),
        ],
      },
      {
        title: 'PostgreSQL',
        panels: [
          statPanel({
            title: 'PostgreSQL up',
            description: 'Whether postgres-exporter reaches PostgreSQL (1) or not (0).',
            unit: 'bool_yes_no',
            targets: [promQuery('min(pg_up)')],
            width: 4,
          }).thresholds(higherIsBetter(1, 1)),
          timeSeries({
            title: 'Connections per database',
            description: 'Backends connected to each database.',
            unit: 'short',
            targets: [
              promQuery(
                'sum by (datname) (pg_stat_database_numbackends{datname!~"template.*|"})',
                '{{datname}}',
              ),
            ],
            width: 10,
          }),
          timeSeries({
            title: 'Transactions per second',
            description: 'Commits and rollbacks per second, per database.',
            unit: 'ops',
            targets: [
              promQuery(
                `sum by (datname) (rate(pg_stat_database_xact_commit{datname!~"template.*|"}[${RATE}]))`,
                'commit {{datname}}',
              ),
              promQuery(
                `sum by (datname) (rate(pg_stat_database_xact_rollback{datname!~"template.*|"}[${RATE}]))`,
                'rollback {{datname}}',
              ),
            ],
            width: 10,
          }),
          timeSeries({
            title: 'Buffer cache hit ratio',
            description: 'Share of block reads served from the buffer cache, per database.',
            unit: 'percentunit',
            targets: [
              promQuery(
                `sum by (datname) (rate(pg_stat_database_blks_hit{datname!~"template.*|"}[${RATE}])) / ` +
                  `(sum by (datname) (rate(pg_stat_database_blks_hit{datname!~"template.*|"}[${RATE}])) + ` +
                  `sum by (datname) (rate(pg_stat_database_blks_read{datname!~"template.*|"}[${RATE}])))`,
                '{{datname}}',
              ),
            ],
            width: 8,
          }),
          timeSeries({
            title: 'Database size',
            description: 'Disk space used by each database.',
            unit: 'bytes',
            targets: [
              promQuery('max by (datname) (pg_database_size_bytes{datname!~"template.*|"})', '{{datname}}'),
            ],
            width: 8,
          }),
          timeSeries({
            title: 'Locks and deadlocks',
            description: 'Locks held by mode, and deadlocks detected per second.',
            unit: 'short',
            targets: [
              promQuery('sum by (mode) (pg_locks_count)', '{{mode}}'),
              promQuery(`sum(rate(pg_stat_database_deadlocks[${RATE}]))`, 'deadlocks/s'),
            ],
            width: 8,
          }),
        ],
      },
      {
        title: 'Redis',
        panels: [
          statPanel({
            title: 'Redis up',
            description: 'Whether redis-exporter reaches Redis (1) or not (0).',
            unit: 'bool_yes_no',
            targets: [promQuery('min(redis_up)')],
            width: 4,
          }).thresholds(higherIsBetter(1, 1)),
          timeSeries({
            title: 'Redis commands per second',
            description: 'Commands Redis processed per second.',
            unit: 'ops',
            targets: [promQuery(`sum(rate(redis_commands_processed_total[${RATE}]))`, 'commands')],
            width: 5,
          }),
          timeSeries({
            title: 'Redis keyspace hit ratio',
            description: 'Share of key lookups that found the key (cart reads of known carts).',
            unit: 'percentunit',
            targets: [
              promQuery(
                `sum(rate(redis_keyspace_hits_total[${RATE}])) / (sum(rate(redis_keyspace_hits_total[${RATE}])) + sum(rate(redis_keyspace_misses_total[${RATE}])))`,
                'hit ratio',
              ),
            ],
            width: 5,
          }),
          timeSeries({
            title: 'Redis memory',
            description: 'Memory Redis has allocated.',
            unit: 'bytes',
            targets: [promQuery('sum(redis_memory_used_bytes)', 'used')],
            width: 5,
          }),
          timeSeries({
            title: 'Redis clients and keys',
            description: 'Client connections, and keys over every database (carts).',
            unit: 'short',
            targets: [
              promQuery('sum(redis_connected_clients)', 'clients'),
              promQuery('sum(redis_db_keys)', 'keys'),
            ],
            width: 5,
          }),
        ],
      },
      {
        title: 'Kubernetes (empty off-cluster)',
        panels: [
          timeSeries({
            title: 'Pods by phase',
            description: 'The shop’s pods per phase (kube-state-metrics). Kubernetes only.',
            unit: 'short',
            targets: [promQuery(`sum by (phase) (kube_pod_status_phase{${KUBERNETES}})`, '{{phase}}')],
            width: 8,
            stacked: true,
          }),
          timeSeries({
            title: 'Container restarts',
            description:
              'Container restarts per pod over the last hour (kube-state-metrics). Kubernetes only.',
            unit: 'short',
            targets: [
              promQuery(
                `sum by (pod) (increase(kube_pod_container_status_restarts_total{${KUBERNETES}}[1h]))`,
                '{{pod}}',
              ),
            ],
            width: 8,
          }),
          timeSeries({
            title: 'CPU requested and used',
            description:
              'CPU cores the shop requested and uses, over every pod (kube-state-metrics, cAdvisor). Kubernetes only.',
            unit: 'short',
            targets: [
              promQuery(
                `sum(kube_pod_container_resource_requests{${KUBERNETES}, resource="cpu"})`,
                'requested',
              ),
              promQuery(`sum(kube_pod_container_resource_limits{${KUBERNETES}, resource="cpu"})`, 'limit'),
              promQuery(
                `sum(rate(container_cpu_usage_seconds_total{${KUBERNETES}, container!=""}[${RATE}]))`,
                'used',
              ),
            ],
            width: 8,
          }),
          timeSeries({
            title: 'CPU by pod',
            description: 'CPU cores used per pod (cAdvisor). Kubernetes only.',
            unit: 'short',
            targets: [
              promQuery(
                `sum by (pod) (rate(container_cpu_usage_seconds_total{${KUBERNETES}, container!=""}[${RATE}]))`,
                '{{pod}}',
              ),
            ],
          }),
          timeSeries({
            title: 'Memory by pod',
            description:
              'Working set memory per pod (cAdvisor), what the OOM killer compares to the limit. Kubernetes only.',
            unit: 'bytes',
            targets: [
              promQuery(
                `sum by (pod) (container_memory_working_set_bytes{${KUBERNETES}, container!=""})`,
                '{{pod}}',
              ),
            ],
          }),
        ],
      },
    ],
  });
}
