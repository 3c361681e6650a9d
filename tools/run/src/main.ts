import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { join, relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ConfigError, prepareLocalFlags, prepareTemplate, startProcessGuard } from '@glasshouse/kit/core';
import { readRunConfig } from './config.js';
import type { RunConfig } from './config.js';
import { connectAddress, formatAddress } from './env.js';
import { LEVELS, Terminal } from './log-pipe.js';
import { startObservability } from './observability.js';
import { embeddedDatabases, launchPlan } from './plan.js';
import type { ServiceLaunch } from './plan.js';
import { portHolder, portInUse } from './ports.js';
import type { ScrapedService } from './prometheus-config.js';
import { httpStatus } from './readiness.js';
import { launchers, watchLaunchers } from './reaper.js';
import { RUNNER, Stack, StartupError } from './stack.js';
import { renderReadyTable } from './table.js';
import type { ReadyRow, ReadySummary } from './table.js';

/** Entry point of `npm start`: the whole shop on one machine, stopped by Ctrl-C. */

// A first start makes the databases' template (initdb) before five services open PGlite from it:
// measured 27 s to all five ready at load 9 on 2 cores, so 30 s failed under any more load.
const READY_TIMEOUT_MS = 60_000;

interface Run {
  readonly config: RunConfig;
  readonly terminal: Terminal;
  readonly stack: Stack;
  readonly root: string;
  /** Aborted on a signal or a failed start: nothing new is started or waited for. */
  readonly halt: AbortSignal;
  /** Closed after every process has stopped (the alert webhook). */
  readonly servers: Server[];
}

async function main(): Promise<void> {
  let config: RunConfig;
  try {
    config = readRunConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`glasshouse: ${error.message}\n`);
    process.exit(2);
  }
  const root = resolve(__dirname, '..', '..', '..');
  // Service processes start in the repository root; service threads share this process's folder.
  process.chdir(root);
  prepareLocalFlags(root);
  const sources = [
    RUNNER,
    'alerts',
    'postgres',
    'prometheus',
    'alertmanager',
    'grafana',
    'node-exporter',
    ...config.services.map((s) => s.spec.name),
  ];
  const terminal = new Terminal(process.stdout, {
    width: Math.max(...sources.map((source) => source.length)),
    color: process.stdout.isTTY && config.color,
    minLevel: LEVELS[config.logLevel],
  });
  // Started first: whatever ends the runner, -9 included, the guard ends what it started.
  const guard = startProcessGuard();
  const stack = new Stack({ terminal, logDir: join(root, 'var', 'log'), cwd: root, guard });
  const halt = new AbortController();
  const run: Run = { config, terminal, stack, root, halt: halt.signal, servers: [] };

  let signals = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    signals += 1;
    if (signals === 1) {
      // A terminal's Ctrl-C reaches the children too: their exits from now on are no crashes.
      stack.expectExits();
      terminal.say(RUNNER, 'info', `${signal}: stopping (press Ctrl-C again to kill everything at once)`);
      halt.abort(new Error(signal));
      return;
    }
    terminal.say(RUNNER, 'warn', 'killing every process now');
    stack.killNow();
    process.exit(130);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);
  // `npm start` killed with -9 leaves its shell and this process running: stop as on SIGTERM.
  watchLaunchers(launchers(), (pid) => {
    if (signals > 0) return;
    terminal.say(RUNNER, 'warn', `the process that started the run (pid ${pid}) is gone`);
    onSignal('SIGTERM');
  });
  // Whatever ends the runner (an uncaught error included), no child outlives it.
  process.on('exit', () => stack.killNow());

  let exitCode = 0;
  try {
    const started = performance.now();
    const addresses = launchPlan(config, process.env, config.databaseUrl);
    await preflight(run, addresses);
    // A first start makes the embedded databases' cluster (initdb) while the services load their
    // code. A failure is theirs to report: each tries again when it opens its database.
    const databases = embeddedDatabases(addresses, root);
    if (databases) void prepareTemplate(databases.parent, databases.folders).catch(() => undefined);
    // Prometheus and Alertmanager need nothing of the shop to start: they boot alongside it.
    const observability = startObservability(
      {
        ...run,
        scrapeInterval: config.scrapeInterval,
        readyTimeoutMs: READY_TIMEOUT_MS,
        prometheusAddress: config.prometheusAddress,
        alertmanagerAddress: config.alertmanagerAddress,
        databaseUrl: config.databaseUrl,
        redisUrl: config.redisUrl,
      },
      addresses.map(scrapedService),
    );
    let plan: ServiceLaunch[] = [];
    try {
      plan = launchPlan(config, process.env, config.databaseUrl);
      await startServices(run, plan);
    } catch (error) {
      halt.abort(error);
      await observability.catch(() => undefined);
      throw error;
    }
    const infrastructure = [postgresRow(config), ...(await observability)];
    terminal.print(
      renderReadyTable(readySummary(plan, infrastructure, (performance.now() - started) / 1000, config)),
    );
    await new Promise<void>((resolve) =>
      halt.signal.addEventListener('abort', () => resolve(), { once: true }),
    );
  } catch (error) {
    if (signals === 0) {
      exitCode = 1;
      reportFailure(terminal, root, error);
    }
  }
  terminal.say(RUNNER, 'info', 'stopping every process');
  await stack.stopAll();
  await Promise.all(run.servers.map((server) => new Promise((resolve) => server.close(resolve))));
  terminal.say(RUNNER, 'info', 'stopped');
  process.exit(exitCode);
}

/** Fails early on what would fail later: unbuilt services, ports taken by another run. */
async function preflight(run: Run, plan: readonly ServiceLaunch[]): Promise<void> {
  const unbuilt = plan.filter((launch) => !existsSync(join(run.root, launch.script)));
  if (unbuilt.length > 0) {
    throw new Error(`not built: ${unbuilt.map((l) => l.script).join(', ')} (run \`npm run build\`)`);
  }
  const wanted = new Map<string, { host: string; port: number; who: string }>();
  for (const launch of plan) {
    for (const address of [launch.target.address, launch.target.adminAddress]) {
      if (address.port !== 0) wanted.set(formatAddress(address), { ...address, who: launch.name });
    }
  }
  const taken: string[] = [];
  for (const [address, { host, port, who }] of wanted) {
    if (await portInUse(host, port)) {
      const holder = await portHolder(port);
      taken.push(`${address} (wanted by ${who}${holder ? `, held by ${holder}` : ''})`);
    }
  }
  if (taken.length > 0) {
    throw new Error(
      `already in use: ${taken.join(', ')}. Is another run still going? Stop it, or move the ports with <SERVICE>_ADDR.`,
    );
  }
}

/** Starts each service once everything it calls is ready; independent services start together. */
async function startServices(run: Run, plan: readonly ServiceLaunch[]): Promise<void> {
  const failed = new AbortController();
  const signal = AbortSignal.any([run.halt, failed.signal]);
  const ready = new Map<string, Promise<void>>();
  for (const launch of plan) {
    const dependencies = launch.dependsOn.map((name) => ready.get(name) ?? Promise.resolve());
    const started = Promise.all(dependencies).then(async () => {
      signal.throwIfAborted();
      const threads = run.config.mode === 'threads';
      run.stack.launch({
        name: launch.name,
        command: process.execPath,
        args: [launch.script],
        // A service process stops when this stdin closes: a runner killed with -9 takes its
        // services along. A service thread dies with the runner anyway.
        env: threads ? launch.env : { ...launch.env, STOP_WITH_STDIN: 'true' },
        stdin: threads ? 'ignore' : 'pipe',
        thread: threads,
        threadLimits: run.config.threadLimits,
        dependsOn: [...launch.dependsOn],
      });
      await run.stack.waitReady(
        launch.name,
        `GET ${launch.readyUrl}`,
        async () => (await httpStatus(launch.readyUrl)) === 200,
        {
          timeoutMs: READY_TIMEOUT_MS,
          signal,
        },
      );
      run.terminal.say(RUNNER, 'info', `${launch.name} is ready`);
    });
    // The first failure stops the others from waiting out their own timeouts.
    started.catch(() => failed.abort());
    ready.set(launch.name, started);
  }
  const results = await Promise.allSettled(ready.values());
  const first =
    results.find(
      (r): r is PromiseRejectedResult => r.status === 'rejected' && r.reason instanceof StartupError,
    ) ?? results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (first) throw first.reason;
}

function scrapedService(launch: ServiceLaunch): ScrapedService {
  const admin = connectAddress(launch.target.adminAddress);
  return { name: launch.name, adminPort: admin.port, adminHost: admin.host };
}

function postgresRow(config: RunConfig): ReadyRow {
  if (!config.databaseUrl) {
    return {
      name: 'postgres',
      protocol: 'postgres',
      address: 'in-process',
      link: `embedded PGlite per service, data in ${config.pgliteDataDir}/<service>`,
    };
  }
  const url = new URL(config.databaseUrl);
  return { name: 'postgres', protocol: 'postgres', address: url.host, link: 'external (DATABASE_URL)' };
}

/** What makes the first admin of a local run (services/auth/src/account-command.ts). */
const CREATE_ADMIN_COMMAND = 'npm run account -- create-admin --email you@example.com --name You';

function readySummary(
  plan: readonly ServiceLaunch[],
  infrastructure: ReadyRow[],
  startupSeconds: number,
  config: RunConfig,
): ReadySummary {
  const frontend = plan.find((launch) => launch.name === 'frontend');
  return {
    services: plan.map((launch) => ({
      name: launch.name,
      protocol: launch.target.spec.protocol,
      address: launch.target.spec.protocol === 'worker' ? '—' : formatAddress(launch.target.address),
      link: launch.metricsUrl,
    })),
    infrastructure,
    shopUrl: frontend ? `http://localhost:${frontend.target.address.port}` : undefined,
    startupSeconds,
    notes: [
      `cart: ${config.redisUrl ? 'Redis (REDIS_URL)' : 'in memory (set REDIS_URL for Redis)'}`,
      config.mode === 'processes'
        ? 'services: one process each (RUN_MODE=processes)'
        : 'services: threads of this one process (RUN_MODE=processes for one process each)',
      ...(plan.some((launch) => launch.name === 'auth')
        ? [`first admin: ${CREATE_ADMIN_COMMAND} (the admin pages need one)`]
        : []),
      'logs: var/log/<service>.log · Ctrl-C stops everything',
    ],
  };
}

function reportFailure(terminal: Terminal, root: string, error: unknown): void {
  if (error instanceof StartupError) {
    terminal.say(RUNNER, 'fatal', error.message);
    terminal.print(
      `\nlast lines of ${relative(root, error.logFile)}:\n${error.logTail.map((l) => `  ${l}`).join('\n') || '  (empty)'}\n`,
    );
    return;
  }
  terminal.say(RUNNER, 'fatal', error instanceof Error ? error.message : String(error));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `glasshouse: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
