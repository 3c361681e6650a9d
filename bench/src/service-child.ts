import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { waitFor } from '@glasshouse/kit/testing';

/**
 * A service started from its compiled main.js as a process of its own, like the kit's
 * ServiceProcess, plus what the bench needs and that one hides: node flags (a CPU profile)
 * and the process id (for /proc readings). Output is kept only as a tail, for failures.
 */
export class ServiceChild {
  private child: ChildProcess | undefined;
  private exited: Promise<void> | undefined;
  private tail = '';

  constructor(
    readonly name: string,
    private readonly script: string,
    private readonly env: Readonly<Record<string, string>>,
    private readonly nodeArgs: readonly string[] = [],
  ) {}

  get pid(): number {
    if (this.child?.pid === undefined) throw new Error(`${this.name} is not running`);
    return this.child.pid;
  }

  start(): this {
    const child = spawn(process.execPath, [...this.nodeArgs, this.script], {
      env: { ...process.env, ...this.env, OTEL_SERVICE_NAME: this.name },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer): void => {
      this.tail = (this.tail + chunk.toString('utf8')).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    this.child = child;
    return this;
  }

  /** Waits until GET url answers 200; fails at once when the process exits. */
  async ready(url: string, timeoutMs: number): Promise<void> {
    await waitFor(
      async () => {
        if (this.child?.exitCode !== null) throw new Error(`${this.name} exited:\n${this.tail.slice(-1000)}`);
        return (await fetch(url)).ok;
      },
      { timeoutMs, what: `${this.name} ready at ${url}` },
    );
  }

  /** SIGTERM (graceful shutdown, which also writes a CPU profile), then the exit. */
  async stop(): Promise<void> {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null)
      this.child.kill('SIGTERM');
    await this.exited;
  }
}
