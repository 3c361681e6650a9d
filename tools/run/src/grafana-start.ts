import { join, relative } from 'node:path';
import { findExecutable } from './observability.js';
import type { ObservabilityContext } from './observability.js';
import { portInUse, takenMessage } from './ports.js';
import { httpStatus } from './readiness.js';
import { RUNNER } from './stack.js';
import type { ReadyRow } from './table.js';
import { GRAFANA_BINARIES, GRAFANA_PORT, grafanaHome, grafanaLaunch, renderProvisioning } from './grafana.js';

export interface GrafanaOptions {
  readonly prometheusUrl: string;
  readonly alertmanagerUrl: string;
  readonly databaseUrl?: string;
  /** PATH to look for the binary on; the process's by default. */
  readonly pathVariable?: string;
  readonly port?: number;
}

const LOOPBACK = '127.0.0.1';

/**
 * Starts Grafana with the repository's dashboards when a Grafana binary is on PATH and its port
 * is free; its row of the ready table, or none. Without a binary it says nothing: Grafana is
 * optional, and the compose stack has one.
 */
export async function startGrafana(
  context: ObservabilityContext,
  options: GrafanaOptions,
): Promise<ReadyRow[]> {
  const binary = findExecutable(GRAFANA_BINARIES, options.pathVariable ?? process.env.PATH);
  if (!binary) return [];
  const port = options.port ?? GRAFANA_PORT;
  if (await portInUse(LOOPBACK, port)) {
    context.terminal.say(
      RUNNER,
      'warn',
      `grafana not started: ${await takenMessage(`${LOOPBACK}:${port}`, port)}`,
    );
    return [];
  }
  const dir = join(context.root, 'var', 'grafana');
  const dashboardsDir = join(context.root, 'deploy', 'grafana', 'dashboards');
  const written = renderProvisioning(
    join(context.root, 'deploy', 'grafana', 'provisioning'),
    join(dir, 'provisioning'),
    {
      prometheusUrl: options.prometheusUrl,
      alertmanagerUrl: options.alertmanagerUrl,
      dashboardsDir,
      databaseUrl: options.databaseUrl,
    },
  );
  context.terminal.say(RUNNER, 'debug', 'grafana provisioning rendered', {
    dir: relative(context.root, join(dir, 'provisioning')),
    files: written.join(', '),
  });
  const launch = grafanaLaunch(binary, {
    dir,
    host: LOOPBACK,
    port,
    home: grafanaHome(binary),
    databaseUrl: options.databaseUrl,
    homeDashboard: join(dashboardsDir, 'Shop', 'overview.json'),
  });
  context.stack.launch({
    name: 'grafana',
    command: launch.command,
    args: launch.args,
    env: { ...process.env, ...launch.env },
  });
  try {
    await context.stack.waitReady(
      'grafana',
      `GET ${launch.url}/api/health`,
      async () => (await httpStatus(`${launch.url}/api/health`)) === 200,
      { timeoutMs: context.readyTimeoutMs, signal: context.halt },
    );
  } catch (error) {
    if (context.halt.aborted) throw error;
    context.terminal.say(RUNNER, 'warn', 'grafana is not ready; the shop runs without it', {
      reason: error instanceof Error ? error.message : String(error),
    });
    return [];
  }
  return [{ name: 'grafana', protocol: 'http', address: `${LOOPBACK}:${port}`, link: launch.url }];
}
