import type { ChildProcess } from 'node:child_process';
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, openSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { waitFor } from '@glasshouse/kit/testing';

const run = promisify(execFile);
/** Debian's docker.io client; /usr/local/bin/docker earlier on PATH is a newer one. */
export const DOCKER = '/usr/bin/docker';

/**
 * A Docker engine of the test's own: data, state and socket in a temporary folder, no iptables
 * and no default bridge (user-defined networks still work), stopped and gone after the test.
 */
export class DockerEngine {
  readonly host: string;
  private daemon: ChildProcess | undefined;

  constructor(private readonly dir: string) {
    this.host = `unix://${join(dir, 'docker.sock')}`;
  }

  /** The environment a docker or docker-compose client needs to talk to this engine. */
  get env(): NodeJS.ProcessEnv {
    return { ...process.env, DOCKER_HOST: this.host, DOCKER_BUILDKIT: '0', COMPOSE_DOCKER_CLI_BUILD: '0' };
  }

  async start(timeoutMs = 60_000): Promise<void> {
    mkdirSync(join(this.dir, 'data'), { recursive: true });
    mkdirSync(join(this.dir, 'exec'), { recursive: true });
    const log = openSync(join(this.dir, 'dockerd.log'), 'a');
    this.daemon = spawn(
      'dockerd',
      [
        '--iptables=false',
        '--ip6tables=false',
        '--bridge=none',
        `--data-root=${join(this.dir, 'data')}`,
        `--exec-root=${join(this.dir, 'exec')}`,
        `--pidfile=${join(this.dir, 'docker.pid')}`,
        `--host=${this.host}`,
      ],
      { stdio: ['ignore', log, log] },
    );
    closeSync(log);
    const exited = new Promise<never>((_, reject) =>
      this.daemon?.once('exit', (code) =>
        reject(new Error(`dockerd exited (${code}); see ${this.dir}/dockerd.log`)),
      ),
    );
    exited.catch(() => undefined);
    await Promise.race([
      waitFor(async () => (await this.docker(['version', '--format', '{{.Server.Version}}'])).length > 0, {
        timeoutMs,
        what: 'dockerd answering',
      }),
      exited,
    ]);
  }

  /** Runs the docker client against this engine; its stdout. */
  async docker(args: readonly string[], timeoutMs = 120_000): Promise<string> {
    const { stdout } = await run(DOCKER, [...args], {
      env: this.env,
      timeout: timeoutMs,
      maxBuffer: 64 * 2 ** 20,
    });
    return stdout.trim();
  }

  /** A container's last log lines, its stdout and stderr alike (a crash's stack is on stderr). */
  async containerLogs(container: string, lines = 40): Promise<string> {
    const { stdout, stderr } = await run(DOCKER, ['logs', '--tail', String(lines), container], {
      env: this.env,
      timeout: 30_000,
      maxBuffer: 16 * 2 ** 20,
    });
    return `${stdout}${stderr}`.trim();
  }

  /** Stops the engine (SIGTERM, then SIGKILL) and waits for it to exit. Idempotent. */
  async stop(timeoutMs = 30_000): Promise<void> {
    const daemon = this.daemon;
    this.daemon = undefined;
    if (!daemon || daemon.exitCode !== null || daemon.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => daemon.once('exit', () => resolve()));
    daemon.kill('SIGTERM');
    const timer = setTimeout(() => daemon.kill('SIGKILL'), timeoutMs);
    await gone;
    clearTimeout(timer);
  }
}
