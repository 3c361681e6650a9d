import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { endsWithTest, freePort, waitFor } from '@glasshouse/kit/testing';

/**
 * A real Prometheus and Alertmanager for tests, on free loopback ports in temporary folders,
 * and a webhook that records what Alertmanager delivers. Each `stop()` ends its process and
 * removes its folder. Issue 19's failure scenarios start the same pieces.
 */

/** Debian ships Alertmanager as `prometheus-alertmanager`. */
export const ALERTMANAGER_BINARY = 'prometheus-alertmanager';
export const PROMETHEUS_BINARY = 'prometheus';

/** A program started for a test, with its output kept for the failure message. */
class Program {
  readonly output: string[] = [];
  private readonly exited: Promise<number | null>;

  constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    const keep = (chunk: Buffer) => this.output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code) => resolve(code));
      child.once('error', (error) => {
        this.output.push(String(error));
        resolve(null);
      });
    });
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  async ready(url: string, timeoutMs: number): Promise<void> {
    await waitFor(
      async () => {
        if (!this.running) throw new Error(`${this.name} exited: ${this.output.slice(-5).join('\n')}`);
        return (await fetch(url)).ok;
      },
      { timeoutMs, intervalMs: 100, what: `${this.name} ready at ${url}` },
    );
  }

  async stop(): Promise<void> {
    if (this.running) this.child.kill('SIGTERM');
    await this.exited;
  }
}

function launch(name: string, command: string, args: readonly string[]): Program {
  return new Program(name, endsWithTest(spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] })));
}

export interface RunningAlertmanager {
  readonly url: string;
  /** Alerts as GET /api/v2/alerts returns them (inhibited and silenced ones included). */
  alerts(): Promise<AlertmanagerAlert[]>;
  /** Posts alerts as Prometheus does (POST /api/v2/alerts). */
  post(alerts: readonly PostedAlert[]): Promise<void>;
  /** Its log so far, for a failure message. */
  output(): readonly string[];
  stop(): Promise<void>;
}

export interface PostedAlert {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface AlertmanagerAlert {
  readonly labels: Record<string, string>;
  readonly status: { readonly state: string; readonly inhibitedBy: string[]; readonly silencedBy: string[] };
  readonly receivers: { readonly name: string }[];
}

/** Starts Alertmanager with `config` (YAML text) and waits until it is ready. */
export async function startAlertmanager(config: string): Promise<RunningAlertmanager> {
  const dir = mkdtempSync(join(tmpdir(), 'glasshouse-alertmanager-'));
  writeFileSync(join(dir, 'alertmanager.yml'), config);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const program = launch('alertmanager', ALERTMANAGER_BINARY, [
    `--config.file=${join(dir, 'alertmanager.yml')}`,
    `--storage.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    // Empty: no clustering, so no gossip port to collide with.
    '--cluster.listen-address=',
  ]);
  const stop = async () => {
    await program.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await program.ready(`${url}/-/ready`, 20_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url,
    alerts: async () => (await (await fetch(`${url}/api/v2/alerts`)).json()) as AlertmanagerAlert[],
    post: async (alerts) => {
      const response = await fetch(`${url}/api/v2/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(alerts),
      });
      if (!response.ok)
        throw new Error(`Alertmanager refused the alerts: ${response.status} ${await response.text()}`);
    },
    output: () => program.output,
    stop,
  };
}

export interface RunningPrometheus {
  readonly url: string;
  /** The value of an instant query's first sample, or undefined when it returns nothing. */
  query(promql: string): Promise<number | undefined>;
  /** Alerts as GET /api/v1/alerts lists them: pending and firing. */
  alerts(): Promise<PrometheusAlert[]>;
  /** Every rule as GET /api/v1/rules reports it, with its health after its last evaluation. */
  rules(): Promise<PrometheusRule[]>;
  /** Its log so far, for a failure message. */
  output(): readonly string[];
  stop(): Promise<void>;
}

export interface PrometheusRule {
  readonly group: string;
  readonly name: string;
  readonly health: 'ok' | 'err' | 'unknown';
  readonly lastError?: string;
}

export interface PrometheusAlert {
  readonly labels: Record<string, string>;
  readonly state: 'pending' | 'firing';
  readonly activeAt: string;
}

/** Starts Prometheus with `config` (YAML text; rule file paths absolute) and waits until it is ready. */
export async function startPrometheus(config: string): Promise<RunningPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'glasshouse-prometheus-'));
  writeFileSync(join(dir, 'prometheus.yml'), config);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const program = launch('prometheus', PROMETHEUS_BINARY, [
    `--config.file=${join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
  ]);
  const stop = async () => {
    await program.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await program.ready(`${url}/-/ready`, 30_000);
  } catch (error) {
    await stop();
    throw error;
  }
  const get = async <T>(path: string): Promise<T> => {
    const body = (await (await fetch(`${url}${path}`)).json()) as { status: string; data: T; error?: string };
    if (body.status !== 'success') throw new Error(`Prometheus ${path}: ${body.error ?? body.status}`);
    return body.data;
  };
  return {
    url,
    query: async (promql) => {
      const data = await get<{ result: { value: [number, string] }[] }>(
        `/api/v1/query?query=${encodeURIComponent(promql)}`,
      );
      const first = data.result[0];
      return first ? Number(first.value[1]) : undefined;
    },
    alerts: async () => (await get<{ alerts: PrometheusAlert[] }>('/api/v1/alerts')).alerts,
    rules: async () => {
      const data = await get<{ groups: { name: string; rules: Omit<PrometheusRule, 'group'>[] }[] }>(
        '/api/v1/rules',
      );
      return data.groups.flatMap((group) =>
        group.rules.map((rule) => ({
          group: group.name,
          name: rule.name,
          health: rule.health,
          lastError: rule.lastError,
        })),
      );
    },
    output: () => program.output,
    stop,
  };
}

/** One alert of a webhook delivery, with when it arrived. */
export interface DeliveredAlert {
  readonly receivedAt: number;
  readonly status: 'firing' | 'resolved';
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
}

export interface AlertWebhook {
  /** The URL to give Alertmanager's webhook_configs. */
  readonly url: string;
  readonly delivered: readonly DeliveredAlert[];
  close(): Promise<void>;
}

/** An HTTP server recording every alert Alertmanager posts to it. */
export async function startAlertWebhook(): Promise<AlertWebhook> {
  const delivered: DeliveredAlert[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      try {
        const payload = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          alerts?: {
            status: 'firing' | 'resolved';
            labels: Record<string, string>;
            annotations: Record<string, string>;
          }[];
        };
        const receivedAt = Date.now();
        for (const alert of payload.alerts ?? []) delivered.push({ receivedAt, ...alert });
        response.writeHead(200).end();
      } catch {
        response.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    delivered,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
