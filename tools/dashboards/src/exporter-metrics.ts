/**
 * Metrics the dashboards read that Glasshouse does not emit itself: each with the exporter or
 * component that does. The static test accepts a metric when it is in the telemetry registry,
 * here, or a recording rule of deploy/prometheus/rules.
 */

export type MetricSource =
  | 'prometheus'
  | 'node-exporter'
  | 'postgres-exporter'
  | 'redis-exporter'
  | 'kube-state-metrics'
  | 'cadvisor'
  | 'flagd (issue 19)';

export interface ForeignMetric {
  readonly name: string;
  readonly source: MetricSource;
  readonly meaning: string;
}

const from =
  (source: MetricSource) =>
  (name: string, meaning: string): ForeignMetric => ({ name, source, meaning });

const prometheus = from('prometheus');
const node = from('node-exporter');
const postgres = from('postgres-exporter');
const redis = from('redis-exporter');
const kubeState = from('kube-state-metrics');
const cadvisor = from('cadvisor');

export const FOREIGN_METRICS: readonly ForeignMetric[] = Object.freeze([
  prometheus('ALERTS', 'Alerts pending or firing, one series per alert (alertstate, alertname, labels).'),
  prometheus('up', 'Whether the last scrape of a target succeeded (1) or not (0).'),

  node('node_cpu_seconds_total', 'CPU time per core and mode (idle, user, system, iowait, …).'),
  node('node_load1', 'Load average over one minute.'),
  node('node_memory_MemAvailable_bytes', 'Memory available for new work without swapping.'),
  node('node_memory_MemTotal_bytes', 'Total usable memory.'),
  node('node_filesystem_avail_bytes', 'Filesystem space available to unprivileged users.'),
  node('node_filesystem_size_bytes', 'Filesystem size.'),
  node('node_network_receive_bytes_total', 'Bytes received per network device.'),
  node('node_network_transmit_bytes_total', 'Bytes sent per network device.'),
  node('node_disk_read_bytes_total', 'Bytes read per disk.'),
  node('node_disk_written_bytes_total', 'Bytes written per disk.'),

  postgres('pg_up', 'Whether the exporter reached PostgreSQL.'),
  postgres('pg_stat_database_numbackends', 'Backends (connections) per database.'),
  postgres('pg_stat_database_xact_commit', 'Transactions committed per database (a counter).'),
  postgres('pg_stat_database_xact_rollback', 'Transactions rolled back per database (a counter).'),
  postgres('pg_stat_database_blks_hit', 'Blocks found in the buffer cache per database (a counter).'),
  postgres('pg_stat_database_blks_read', 'Blocks read from disk per database (a counter).'),
  postgres('pg_stat_database_deadlocks', 'Deadlocks detected per database (a counter).'),
  postgres('pg_database_size_bytes', 'Disk space used per database.'),
  postgres('pg_locks_count', 'Locks held, per database and mode.'),

  redis('redis_up', 'Whether the exporter reached Redis.'),
  redis('redis_connected_clients', 'Client connections.'),
  redis('redis_memory_used_bytes', 'Memory Redis has allocated.'),
  redis('redis_commands_processed_total', 'Commands processed.'),
  redis('redis_keyspace_hits_total', 'Key lookups that found the key.'),
  redis('redis_keyspace_misses_total', 'Key lookups that did not.'),
  redis('redis_db_keys', 'Keys per database.'),

  kubeState('kube_pod_status_phase', 'Pods per phase (Pending, Running, Succeeded, Failed, Unknown).'),
  kubeState('kube_pod_container_status_restarts_total', 'Container restarts per pod and container.'),
  kubeState(
    'kube_pod_container_resource_requests',
    'Resources requested per container (cpu cores, memory bytes).',
  ),
  kubeState('kube_pod_container_resource_limits', 'Resource limits per container.'),
  cadvisor('container_cpu_usage_seconds_total', 'CPU time used per container (kubelet cAdvisor).'),
  cadvisor(
    'container_memory_working_set_bytes',
    'Working set memory per container (what the OOM killer looks at).',
  ),

  from('flagd (issue 19)')(
    'glasshouse_feature_flag_state',
    'The variant each failure flag is in (1 when on). Named ahead of issue 19, which emits it.',
  ),
]);
