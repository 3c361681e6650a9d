import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { waitFor } from '../wait.js';
import { endsWithTest } from './guarded.js';

export interface ServiceProcessOptions {
  /** Flags for node itself, before the script (e.g. a CPU profile). */
  readonly nodeArgs?: readonly string[];
  /** Output lines kept, the latest; every line by default. A long load run keeps a tail only. */
  readonly keepLines?: number;
}

/**
 * A service started as its own process from its compiled main.js, as the runner starts it:
 * stdout and stderr lines are kept for assertions; stop() sends SIGTERM and waits for the exit.
 */
export class ServiceProcess {
  readonly lines: string[] = [];
  private child: ChildProcess | undefined;
  private exited: Promise<number | null> | undefined;

  constructor(
    readonly name: string,
    private readonly script: string,
    private readonly env: Readonly<Record<string, string>>,
    private readonly options: ServiceProcessOptions = {},
  ) {}

  /** The process id, for /proc readings. */
  get pid(): number {
    if (this.child?.pid === undefined) throw new Error(`${this.name} is not running`);
    return this.child.pid;
  }

  start(): this {
    const child = endsWithTest(
      spawn(process.execPath, [...(this.options.nodeArgs ?? []), this.script], {
        env: { ...process.env, ...this.env, OTEL_SERVICE_NAME: this.name },
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    const keep = this.options.keepLines ?? Number.POSITIVE_INFINITY;
    let buffered = '';
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const parts = buffered.split('\n');
      buffered = parts.pop() ?? '';
      this.lines.push(...parts.filter(Boolean));
      if (this.lines.length > keep) this.lines.splice(0, this.lines.length - keep);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    this.child = child;
    return this;
  }

  /** Waits until GET url answers 200; fails at once, with its last lines, when the process exits. */
  async ready(url: string, timeoutMs = 20_000): Promise<void> {
    await waitFor(
      async () => {
        if (this.child?.exitCode !== null)
          throw new Error(`${this.name} exited: ${this.lines.slice(-5).join('\n')}`);
        return (await fetch(url)).ok;
      },
      { timeoutMs, what: `${this.name} ready at ${url}` },
    );
  }

  /** Parsed JSON log lines. */
  logs(): Record<string, unknown>[] {
    return this.lines.flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
  }

  /** SIGTERM (graceful shutdown), then the exit code. */
  async stop(): Promise<number | null> {
    if (!this.child || this.child.exitCode !== null || this.child.signalCode !== null)
      return this.child?.exitCode ?? null;
    this.child.kill('SIGTERM');
    return this.exited ?? null;
  }
}
