import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { delimiter, join, relative } from 'node:path';
import { promisify } from 'node:util';
import { startAlertSink } from './alert-sink.js';
import { startExporters } from './exporters.js';
import { startGrafana } from './grafana-start.js';
import type { Address } from './env.js';
import { connectAddress, formatAddress } from './env.js';
import type { Terminal } from './log-pipe.js';
import { portInUse, takenMessage } from './ports.js';
import { prometheusConfig, toYaml } from './prometheus-config.js';
import type { ScrapedService } from './prometheus-config.js';
import { httpStatus } from './readiness.js';
import { RUNNER } from './stack.js';
import type { Stack } from './stack.js';
import type { ReadyRow } from './table.js';

/** Prometheus and Alertmanager for an embedded run: found on PATH, configured, started. */

const run = promisify(execFile);

export const PROMETHEUS_BINARIES = ['prometheus'] as const;
/** Debian ships Alertmanager as `prometheus-alertmanager`. */
export const ALERTMANAGER_BINARIES = ['prometheus-alertmanager', 'alertmanager'] as const;
export const INSTALL_HINT = 'apt-get install prometheus prometheus-alertmanager';

/** Written when deploy/alertmanager/alertmanager.yml is missing: every alert to the runner's log. */
export function minimalAlertmanagerConfig(webhookUrl: string): string {
  return [
    'route:',
    '  receiver: log',
    'receivers:',
    '  - name: log',
    '    webhook_configs:',
    `      - url: ${JSON.stringify(webhookUrl)}`,
    '        send_resolved: true',
    '',
  ].join('\n');
}

/** The first of `names` that is an executable file on PATH. */
export function findExecutable(
  names: readonly string[],
  pathVariable: string | undefined,
): string | undefined {
  const dirs = (pathVariable ?? '').split(delimiter).filter((dir) => dir !== '');
  for (const name of names) {
    for (const dir of dirs) {
      const candidate = join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here; keep looking
      }
    }
  }
  return undefined;
}

/** Every `*.yml` / `*.yaml` file of `dir`, sorted, as absolute paths; none when it is missing. */
export function findRuleFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.ya?ml$/.test(entry.name))
    .map((entry) => join(dir, entry.name))
    .sort();
}

/** promtool's complaint about a rule file, or undefined when it is valid. */
export async function ruleFileProblem(promtool: string, file: string): Promise<string | undefined> {
  try {
    await run(promtool, ['check', 'rules', file], { timeout: 15_000 });
    return undefined;
  } catch (error) {
    const stderr =
      typeof error === 'object' && error !== null && 'stderr' in error ? String(error.stderr) : '';
    const stdout =
      typeof error === 'object' && error !== null && 'stdout' in error ? String(error.stdout) : '';
    const text = `${stderr}\n${stdout}`.trim();
    return text === ''
      ? String(error)
      : text
          .split('\n')
          .filter((line) => line.trim() !== '')
          .slice(0, 3)
          .join('; ');
  }
}

/** What starting Prometheus and Alertmanager needs of the run. */
export interface ObservabilityContext {
  readonly stack: Stack;
  readonly terminal: Terminal;
  /** The repository root: deploy/ is read from it, var/ written under it. */
  readonly root: string;
  readonly halt: AbortSignal;
  /** The alert webhook is added here, for main to close at the end. */
  readonly servers: Server[];
  readonly scrapeInterval: string;
  readonly readyTimeoutMs: number;
  /** Where Prometheus and Alertmanager listen (PROMETHEUS_ADDR, ALERTMANAGER_ADDR); loopback on 9090 and 9093 by default. */
  readonly prometheusAddress?: Address;
  readonly alertmanagerAddress?: Address;
  /** The stores the exporters watch (DATABASE_URL, REDIS_URL); none on PGlite and the in-memory cart. */
  readonly databaseUrl?: string;
  readonly redisUrl?: string;
}

const LOOPBACK = '127.0.0.1';
export const PROMETHEUS_PORT = 9090;
export const ALERTMANAGER_PORT = 9093;
/** Where deploy/alertmanager/alertmanager.yml sends every alert: the runner's webhook. */
export const ALERT_WEBHOOK_PORT = 18090;

/**
 * Starts Alertmanager and Prometheus (scraping `scraped`) when their binaries are on PATH and
 * their ports are free, and returns their rows of the ready table. A missing or failing one is
 * reported and left out: the shop runs without it.
 */
export async function startObservability(
  context: ObservabilityContext,
  scraped: readonly ScrapedService[],
): Promise<ReadyRow[]> {
  const { terminal, root } = context;
  const prometheus = findExecutable(PROMETHEUS_BINARIES, process.env.PATH);
  const alertmanager = findExecutable(ALERTMANAGER_BINARIES, process.env.PATH);
  if (!prometheus || !alertmanager) {
    const missing = [prometheus ? '' : 'prometheus', alertmanager ? '' : 'alertmanager']
      .filter(Boolean)
      .join(' and ');
    terminal.say(RUNNER, 'info', `${missing} not on PATH, so not started (to get them: ${INSTALL_HINT})`);
  }
  const alertmanagerAt = context.alertmanagerAddress ?? { host: LOOPBACK, port: ALERTMANAGER_PORT };
  const prometheusAt = context.prometheusAddress ?? { host: LOOPBACK, port: PROMETHEUS_PORT };
  const alertmanagerUrl = `http://${formatAddress(connectAddress(alertmanagerAt))}`;
  const prometheusUrl = `http://${formatAddress(connectAddress(prometheusAt))}`;
  const startAlertmanager =
    alertmanager !== undefined && (await portFree(context, 'alertmanager', alertmanagerAt));
  const startPrometheus = prometheus !== undefined && (await portFree(context, 'prometheus', prometheusAt));

  if (startAlertmanager) {
    const storage = join(root, 'var', 'alertmanager');
    mkdirSync(storage, { recursive: true });
    let configFile = join(root, 'deploy', 'alertmanager', 'alertmanager.yml');
    if (!existsSync(configFile)) {
      configFile = join(storage, 'alertmanager.yml');
      writeFileSync(configFile, minimalAlertmanagerConfig(`http://${LOOPBACK}:${ALERT_WEBHOOK_PORT}/`));
    }
    try {
      context.servers.push(await startAlertSink(LOOPBACK, ALERT_WEBHOOK_PORT, terminal));
    } catch (error) {
      terminal.say(
        RUNNER,
        'warn',
        `alerts will not be printed: ${LOOPBACK}:${ALERT_WEBHOOK_PORT} unavailable`,
        {
          reason: String(error),
        },
      );
    }
    context.stack.launch({
      name: 'alertmanager',
      command: alertmanager,
      args: [
        `--config.file=${configFile}`,
        `--storage.path=${storage}`,
        `--web.listen-address=${formatAddress(alertmanagerAt)}`,
        // Empty: no clustering, so no gossip port to collide with.
        '--cluster.listen-address=',
      ],
      env: process.env,
    });
  }

  // The exporters are only worth starting for a Prometheus to scrape them.
  const exporters = startPrometheus
    ? await startExporters(context, { databaseUrl: context.databaseUrl, redisUrl: context.redisUrl })
    : undefined;

  if (startPrometheus) {
    const dir = join(root, 'var', 'prometheus');
    mkdirSync(dir, { recursive: true });
    const configFile = join(dir, 'prometheus.yml');
    const config = prometheusConfig([...scraped, ...(exporters?.scraped ?? [])], {
      scrapeInterval: context.scrapeInterval,
      ruleFiles: await usableRuleFiles(context, join(root, 'deploy', 'prometheus', 'rules')),
      alertmanagerUrl: startAlertmanager ? alertmanagerUrl : undefined,
    });
    writeFileSync(
      configFile,
      `# Generated by tools/run at every start; edits are overwritten.\n${toYaml(config)}`,
    );
    context.stack.launch({
      name: 'prometheus',
      command: prometheus,
      args: [
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=${formatAddress(prometheusAt)}`,
        // Keeps the trace ids of latency histograms, for the dashboards' exemplars.
        '--enable-feature=exemplar-storage',
      ],
      env: process.env,
    });
  }

  const [prometheusReady, alertmanagerReady] = await Promise.all([
    startPrometheus && ready(context, 'prometheus', `${prometheusUrl}/-/ready`),
    startAlertmanager && ready(context, 'alertmanager', `${alertmanagerUrl}/-/ready`),
  ]);
  const exporterRows = (await exporters?.ready) ?? [];
  const grafanaRows = await startGrafana(context, {
    prometheusUrl,
    alertmanagerUrl,
    databaseUrl: context.databaseUrl,
  });
  return [
    ...(prometheusReady
      ? [{ name: 'prometheus', protocol: 'http', address: formatAddress(prometheusAt), link: prometheusUrl }]
      : []),
    ...(alertmanagerReady
      ? [
          {
            name: 'alertmanager',
            protocol: 'http',
            address: formatAddress(alertmanagerAt),
            link: alertmanagerUrl,
          },
        ]
      : []),
    ...exporterRows,
    ...grafanaRows,
  ];
}

async function portFree(context: ObservabilityContext, name: string, at: Address): Promise<boolean> {
  const { host, port } = connectAddress(at);
  if (!(await portInUse(host, port))) return true;
  context.terminal.say(RUNNER, 'warn', `${name} not started: ${await takenMessage(formatAddress(at), port)}`);
  return false;
}

async function ready(context: ObservabilityContext, name: string, url: string): Promise<boolean> {
  try {
    await context.stack.waitReady(name, `GET ${url}`, async () => (await httpStatus(url)) === 200, {
      timeoutMs: context.readyTimeoutMs,
      signal: context.halt,
    });
    return true;
  } catch (error) {
    if (context.halt.aborted) throw error;
    context.terminal.say(RUNNER, 'warn', `${name} is not ready; the shop runs without it`, {
      reason: error instanceof Error ? error.message : String(error),
    });
    return false;
  }
}

/** Rule files Prometheus will accept: one bad file would otherwise keep Prometheus from starting. */
async function usableRuleFiles(context: ObservabilityContext, dir: string): Promise<string[]> {
  const files = findRuleFiles(dir);
  const promtool = findExecutable(['promtool'], process.env.PATH);
  if (!promtool || files.length === 0) return files;
  const problems = await Promise.all(files.map((file) => ruleFileProblem(promtool, file)));
  return files.filter((file, i) => {
    const problem = problems[i];
    if (problem) {
      context.terminal.say(RUNNER, 'warn', `rule file left out: ${relative(context.root, file)}`, {
        problem,
      });
    }
    return !problem;
  });
}
