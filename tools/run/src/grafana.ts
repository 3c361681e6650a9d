import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Grafana for an embedded run: deploy/grafana's provisioning, rendered for this machine (the
 * compose hosts rewritten to the embedded Prometheus and Alertmanager, the dashboards read
 * from the repository), and the command line of whichever Grafana binary is on PATH.
 */

/** Grafana's own packages and Homebrew install `grafana` (with a `server` command); older ones `grafana-server`. */
export const GRAFANA_BINARIES = ['grafana', 'grafana-server'] as const;
export const GRAFANA_PORT = 3000;
export const GRAFANA_INSTALL_HINT = 'https://grafana.com/grafana/download (or brew install grafana)';

/** Where the embedded run's Grafana finds what the provisioning names. */
export interface GrafanaTargets {
  readonly prometheusUrl: string;
  readonly alertmanagerUrl: string;
  /** The dashboards folder, deploy/grafana/dashboards of the checkout. */
  readonly dashboardsDir: string;
  /** PostgreSQL when the run has one (DATABASE_URL); its one database holds every schema. */
  readonly databaseUrl?: string;
}

/** The compose hosts the provisioning names, and what each becomes off compose. */
const LOOPBACK_HOSTS: Readonly<Record<string, string>> = {
  'http://loki:3100': 'http://127.0.0.1:3100',
  'http://tempo:3200': 'http://127.0.0.1:3200',
  'http://jaeger:16686': 'http://127.0.0.1:16686',
};

/** The data sources file, for this machine. */
export function renderDataSources(source: string, targets: GrafanaTargets): string {
  let text = source
    .replaceAll('url: http://prometheus:9090', `url: ${targets.prometheusUrl}`)
    .replaceAll('url: http://alertmanager:9093', `url: ${targets.alertmanagerUrl}`);
  for (const [from, to] of Object.entries(LOOPBACK_HOSTS))
    text = text.replaceAll(`url: ${from}`, `url: ${to}`);
  if (targets.databaseUrl) {
    const url = new URL(targets.databaseUrl);
    const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || 'postgres';
    text = text
      .replaceAll('url: postgres:5432', `url: ${url.hostname}:${url.port || '5432'}`)
      .replace(/database: (orders|inventory)$/gm, `database: ${database}`);
  } else {
    text = text.replaceAll('url: postgres:5432', 'url: 127.0.0.1:5432');
  }
  return text;
}

/** The dashboard provider file, reading the checkout's dashboards. */
export function renderDashboardProvider(source: string, dashboardsDir: string): string {
  return source.replace(/path: \/var\/lib\/grafana\/dashboards$/m, `path: ${JSON.stringify(dashboardsDir)}`);
}

/**
 * Copies deploy/grafana/provisioning into `target`, rendered for this machine. Returns the
 * files written, relative to `target`.
 */
export function renderProvisioning(source: string, target: string, targets: GrafanaTargets): string[] {
  rmSync(target, { recursive: true, force: true });
  const written: string[] = [];
  for (const kind of ['datasources', 'dashboards', 'alerting', 'plugins']) {
    mkdirSync(join(target, kind), { recursive: true });
    const dir = join(source, kind);
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir).filter((name) => /\.ya?ml$/.test(name))) {
      let text = readFileSync(join(dir, file), 'utf8');
      if (kind === 'datasources') text = renderDataSources(text, targets);
      if (kind === 'dashboards') text = renderDashboardProvider(text, targets.dashboardsDir);
      writeFileSync(join(target, kind, file), text);
      written.push(join(kind, file));
    }
  }
  return written;
}

/** Grafana's home (its public/ and conf/defaults.ini), where packages lay it out beside the binary. */
export function grafanaHome(binary: string): string | undefined {
  const prefix = dirname(dirname(binary));
  const candidates = [join(prefix, 'share', 'grafana'), prefix, '/usr/share/grafana'];
  return candidates.find((dir) => existsSync(join(dir, 'conf', 'defaults.ini')));
}

export interface GrafanaLaunch {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly url: string;
}

/** The command line and environment of Grafana, state under `dir`, serving host:port. */
export function grafanaLaunch(
  binary: string,
  options: {
    readonly dir: string;
    readonly host: string;
    readonly port: number;
    readonly home?: string;
    readonly databaseUrl?: string;
    readonly homeDashboard?: string;
  },
): GrafanaLaunch {
  const args = [
    ...(basename(binary) === 'grafana' ? ['server'] : []),
    ...(options.home ? [`--homepath=${options.home}`] : []),
  ];
  const database = options.databaseUrl ? new URL(options.databaseUrl) : undefined;
  return {
    command: binary,
    args,
    env: {
      GF_PATHS_PROVISIONING: join(options.dir, 'provisioning'),
      GF_PATHS_DATA: join(options.dir, 'data'),
      GF_PATHS_LOGS: join(options.dir, 'log'),
      GF_PATHS_PLUGINS: join(options.dir, 'plugins'),
      GF_SERVER_HTTP_ADDR: options.host,
      GF_SERVER_HTTP_PORT: String(options.port),
      // A laptop's own Grafana: dashboards open without a login; admin/admin edits.
      GF_AUTH_ANONYMOUS_ENABLED: 'true',
      GF_AUTH_ANONYMOUS_ORG_ROLE: 'Viewer',
      GF_ANALYTICS_REPORTING_ENABLED: 'false',
      GF_ANALYTICS_CHECK_FOR_UPDATES: 'false',
      GF_NEWS_NEWS_FEED_ENABLED: 'false',
      ...(options.homeDashboard && { GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH: options.homeDashboard }),
      // The provisioned PostgreSQL data sources log in as the run's own database user.
      GLASSHOUSE_GRAFANA_DB_USER: database ? decodeURIComponent(database.username) : '',
      GLASSHOUSE_GRAFANA_DB_PASSWORD: database ? decodeURIComponent(database.password) : '',
    },
    url: `http://${options.host}:${options.port}`,
  };
}
