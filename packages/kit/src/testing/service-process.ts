import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { waitFor } from '../wait.js';

/**
 * A service started as its own process from its compiled main.js, as the runner starts it:
 * stdout lines are kept for assertions; stop() sends SIGTERM and waits for the exit.
 */
export class ServiceProcess {
  readonly lines: string[] = [];
  private child: ChildProcess | undefined;
  private exited: Promise<number | null> | undefined;

  constructor(
    readonly name: string,
    private readonly script: string,
    private readonly env: Record<string, string>,
  ) {}

  start(): this {
    const child = spawn(process.execPath, [this.script], {
      env: { ...process.env, ...this.env, OTEL_SERVICE_NAME: this.name },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let buffered = '';
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const parts = buffered.split('\n');
      buffered = parts.pop() ?? '';
      this.lines.push(...parts.filter(Boolean));
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    this.child = child;
    return this;
  }

  /** Waits until GET url answers 200. */
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

  async stop(): Promise<number | null> {
    if (!this.child || this.child.exitCode !== null) return this.child?.exitCode ?? null;
    this.child.kill('SIGTERM');
    return this.exited ?? null;
  }
}
