import { join } from 'node:path';
import { DeadlineError, waitFor } from '@glasshouse/kit/core';
import { LogPipe, formatLine, parseLogLine, LEVELS } from './log-pipe.js';
import type { Terminal } from './log-pipe.js';
import { SupervisedProcess } from './supervisor.js';
import type { BackoffPolicy, SupervisorEvent, ThreadLimits } from './supervisor.js';
import type { ProcessGuard } from '@glasshouse/kit/core';

/** A process of the embedded stack: a service, the embedded Postgres, Prometheus or Alertmanager. */
export interface MemberSpec {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  /** Members this one needs: it is stopped before them. */
  readonly dependsOn?: readonly string[];
  readonly stdin?: 'ignore' | 'pipe';
  /** Run `args[0]` as a worker thread of the runner rather than as a process (services only). */
  readonly thread?: boolean;
  readonly threadLimits?: ThreadLimits;
}

/** Raised when a member does not become ready: names it, and carries the end of its log. */
export class StartupError extends Error {
  constructor(
    readonly member: string,
    problem: string,
    readonly logFile: string,
    readonly logTail: readonly string[],
  ) {
    super(`${member} ${problem}`);
    this.name = 'StartupError';
  }
}

export interface StackOptions {
  readonly terminal: Terminal;
  /** Where `<name>.log` files go. */
  readonly logDir: string;
  /** Working directory of every child (the repository root). */
  readonly cwd: string;
  readonly backoff?: BackoffPolicy;
  readonly stopTimeoutMs?: number;
  /** Consecutive crashes before readiness gives up early (3 by default). */
  readonly crashesBeforeGivingUp?: number;
  /** Ends the members' processes if the runner dies without stopping them. */
  readonly guard?: ProcessGuard;
}

interface Member {
  readonly spec: MemberSpec;
  readonly process: SupervisedProcess;
  readonly pipe: LogPipe;
  crashes: number;
  lastExit: string;
  /** How it exited the time its crashes reached the limit: readiness is polled, and may see a later one. */
  exitAtLimit?: string;
}

/** The source name of the runner's own terminal lines. */
export const RUNNER = 'run';

/**
 * The processes of one run, in start order. Each is supervised (restarted when it crashes),
 * its output piped to its log file and the terminal; stopping goes dependents first.
 */
export class Stack {
  private readonly members: Member[] = [];
  private stopping = false;

  /** Crashes before readiness after which `waitReady` gives up. */
  private readonly crashLimit: number;

  constructor(private readonly options: StackOptions) {
    this.crashLimit = options.crashesBeforeGivingUp ?? 3;
  }

  /** Spawns a member now; its restarts and stops are reported on the terminal. */
  launch(spec: MemberSpec): void {
    if (this.stopping) throw new Error(`${spec.name} not started: the run is stopping`);
    const pipe = new LogPipe({
      name: spec.name,
      filePath: join(this.options.logDir, `${spec.name}.log`),
      terminal: this.options.terminal,
    });
    const member: Member = {
      spec,
      pipe,
      crashes: 0,
      lastExit: '',
      process: new SupervisedProcess({
        name: spec.name,
        command: spec.command,
        args: spec.args,
        cwd: this.options.cwd,
        env: spec.env,
        stdin: spec.stdin,
        thread: spec.thread,
        threadLimits: spec.threadLimits,
        backoff: this.options.backoff,
        stopTimeoutMs: this.options.stopTimeoutMs,
        onOutput: (stdout, stderr) => pipe.attach(stdout, stderr),
        onEvent: (event) => this.report(member, event),
        guard: this.options.guard,
      }),
    };
    this.members.push(member);
    member.process.start();
  }

  /** Waits until `probe` holds for the named member; a StartupError when it does not in time. */
  async waitReady(
    name: string,
    what: string,
    probe: () => Promise<boolean>,
    options: { readonly timeoutMs: number; readonly signal?: AbortSignal },
  ): Promise<void> {
    const member = this.find(name);
    const limit = this.crashLimit;
    // A service that keeps crashing ends the wait at once, with its own error.
    const crashed = new AbortController();
    const signals = options.signal ? [crashed.signal, options.signal] : [crashed.signal];
    try {
      await waitFor(
        async () => {
          if (member.crashes >= limit) {
            crashed.abort(
              this.startupError(
                member,
                `exited ${limit} times before it was ready (${member.exitAtLimit ?? member.lastExit})`,
              ),
            );
            return false;
          }
          return probe();
        },
        {
          what: `${name} ready`,
          timeoutMs: options.timeoutMs,
          intervalMs: 100,
          signal: AbortSignal.any(signals),
        },
      );
      member.crashes = 0;
      member.exitAtLimit = undefined;
    } catch (error) {
      if (error instanceof DeadlineError) {
        throw this.startupError(member, `was not ready within ${options.timeoutMs / 1000} s (${what})`);
      }
      throw error;
    }
  }

  /** No more restarts or launches: exits from now on are part of stopping. */
  expectExits(): void {
    this.stopping = true;
    for (const member of this.members) member.process.expectExit();
  }

  /** Stops every member, each after all members that depend on it; closes the log files. */
  async stopAll(): Promise<void> {
    this.expectExits();
    const stopped = new Map<Member, Promise<void>>();
    const stopOne = (member: Member): Promise<void> => {
      const known = stopped.get(member);
      if (known) return known;
      const dependents = this.members.filter((other) => other.spec.dependsOn?.includes(member.spec.name));
      const done = Promise.all(dependents.map(stopOne)).then(() => member.process.stop());
      stopped.set(member, done);
      return done;
    };
    await Promise.all([...this.members].reverse().map(stopOne));
    await Promise.all(this.members.map((member) => member.pipe.close()));
  }

  /** SIGKILL to every child still alive; for a runner that is exiting right now. */
  killNow(): void {
    for (const member of this.members) member.process.killNow();
  }

  /** Pids of the children alive now. */
  pids(): number[] {
    return this.members.flatMap((member) => (member.process.pid === undefined ? [] : [member.process.pid]));
  }

  private find(name: string): Member {
    const member = this.members.find((m) => m.spec.name === name);
    if (!member) throw new Error(`${name} was never launched`);
    return member;
  }

  private startupError(member: Member, problem: string): StartupError {
    const tail = member.pipe
      .tail()
      .slice(-15)
      .map((line) =>
        formatLine(member.spec.name, parseLogLine(line, LEVELS.info), { width: 0, color: false }),
      );
    return new StartupError(member.spec.name, problem, member.pipe.filePath, tail);
  }

  private crashed(member: Member, exit: string): void {
    member.crashes += 1;
    member.lastExit = exit;
    if (member.crashes === this.crashLimit) member.exitAtLimit = exit;
  }

  private report(member: Member, event: SupervisorEvent): void {
    const terminal = this.options.terminal;
    const name = member.spec.name;
    switch (event.type) {
      case 'spawned': {
        const id: Record<string, number> = { [member.spec.thread ? 'thread' : 'pid']: event.pid };
        if (event.start === 1) terminal.say(RUNNER, 'debug', `${name} started`, id);
        else terminal.say(RUNNER, 'warn', `${name} restarted`, { ...id, start: event.start });
        return;
      }
      case 'crashed': {
        this.crashed(member, event.signal ? `signal ${event.signal}` : `exit code ${event.code ?? '?'}`);
        const uptime = `${(event.uptimeMs / 1000).toFixed(1)} s`;
        terminal.say(
          RUNNER,
          'error',
          `${name} exited unexpectedly (${member.lastExit} after ${uptime}); restarting in ${seconds(event.restartInMs)}`,
          { log: member.pipe.filePath },
        );
        return;
      }
      case 'spawn-failed':
        this.crashed(member, event.error.message);
        terminal.say(RUNNER, 'error', `${name} could not be started: ${event.error.message}`, {
          retry_in: seconds(event.restartInMs),
        });
        return;
      case 'killed':
        terminal.say(RUNNER, 'warn', `${name} did not stop within ${seconds(event.afterMs)}; killed it`);
        return;
      case 'stopped':
        terminal.say(RUNNER, 'debug', `${name} stopped`, {
          ...(event.code !== null && { code: event.code }),
          ...(event.signal && { signal: event.signal }),
        });
        return;
    }
  }
}

function seconds(ms: number): string {
  return `${ms < 1000 ? (ms / 1000).toFixed(1) : String(Math.round(ms / 1000))} s`;
}
