import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import type { ProcessGuard } from '@glasshouse/kit/core';
import { STOP_MESSAGE } from '@glasshouse/kit/core';

/** Restart delays: `initialMs` doubling up to `maxMs`; a run that lasted `resetAfterMs` starts over. */
export interface BackoffPolicy {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly resetAfterMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = Object.freeze({
  initialMs: 500,
  maxMs: 30_000,
  resetAfterMs: 60_000,
});

/** The delay before the restart that follows the `failures`-th consecutive crash (1-based). */
export function backoffDelay(failures: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  const exponent = Math.max(0, failures - 1);
  // Capping the exponent keeps 2 ** exponent finite however long a service keeps crashing.
  return Math.min(policy.maxMs, policy.initialMs * 2 ** Math.min(exponent, 30));
}

/** Counts consecutive crashes; a child that stayed up long enough resets the count. */
export class RestartBackoff {
  private failures = 0;

  constructor(private readonly policy: BackoffPolicy = DEFAULT_BACKOFF) {}

  /** The delay before restarting a child that crashed after `uptimeMs`. */
  next(uptimeMs: number): number {
    if (uptimeMs >= this.policy.resetAfterMs) this.failures = 0;
    this.failures += 1;
    return backoffDelay(this.failures, this.policy);
  }
}

export type SupervisorEvent =
  | {
      readonly type: 'spawned';
      /** The process id, or the thread id of a service thread. */
      readonly pid: number;
      readonly start: number;
    }
  | {
      readonly type: 'crashed';
      readonly code: number | null;
      readonly signal: NodeJS.Signals | null;
      readonly uptimeMs: number;
      readonly restartInMs: number;
    }
  | { readonly type: 'spawn-failed'; readonly error: Error; readonly restartInMs: number }
  | { readonly type: 'killed'; readonly afterMs: number }
  | { readonly type: 'stopped'; readonly code: number | null; readonly signal: NodeJS.Signals | null };

/**
 * V8 heap limits of a service thread, in MB. A thread that outgrows `heapMb` is ended with
 * ERR_WORKER_OUT_OF_MEMORY and restarted like a crashed process, instead of taking every other
 * service of the process down with it.
 */
export interface ThreadLimits {
  readonly youngGenerationMb?: number;
  readonly heapMb?: number;
}

export interface SupervisedProcessOptions {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  /**
   * Run the script `args[0]` as a worker thread of this process instead of `command args` as a
   * process of its own: a stop is a stop message instead of SIGTERM, a kill is terminate().
   */
  readonly thread?: boolean;
  /** A service thread's V8 heap limits (see the runner's RUN_THREAD_YOUNG_MB and RUN_THREAD_HEAP_MB). */
  readonly threadLimits?: ThreadLimits;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly backoff?: BackoffPolicy;
  /** How long a child may take to exit after SIGTERM before it gets SIGKILL (10 s by default). */
  readonly stopTimeoutMs?: number;
  /** Gets each child's output streams right after it is spawned. */
  readonly onOutput?: (stdout: Readable, stderr: Readable) => void;
  readonly onEvent?: (event: SupervisorEvent) => void;
  /**
   * `pipe` hands the child a stdin the runner never writes to: it reaches end-of-file when the
   * runner dies, however it dies, which a child of ours (the embedded Postgres) watches.
   */
  readonly stdin?: 'ignore' | 'pipe';
  /**
   * Watches the process groups of the children: each process child leads a group of its own,
   * ended by the guard if the runner dies without stopping it.
   */
  readonly guard?: ProcessGuard;
}

/** What supervision needs of a child, whether a process or a worker thread. */
interface Child {
  /** Process id, or thread id; undefined when a process could not be spawned. */
  readonly id: number | undefined;
  readonly stdout: Readable | null;
  readonly stderr: Readable | null;
  /** Asks the child to stop gracefully. */
  stop(): void;
  /** Ends it now. */
  kill(): void;
  /** Called once: exit code or signal, or the error that kept it from starting. */
  onEnd(listener: (code: number | null, signal: NodeJS.Signals | null, error?: Error) => void): void;
}

/** Signals the child's whole process group (it leads one), so nothing it started stays behind. */
function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // Gone already.
    }
  }
}

function childProcess(options: SupervisedProcessOptions): Child {
  // Detached: a group of its own, which a terminal's Ctrl-C does not reach (the runner stops
  // it in dependency order) and which the guard can end as a whole.
  const child = spawn(options.command, [...options.args], {
    cwd: options.cwd,
    env: options.env,
    stdio: [options.stdin ?? 'ignore', 'pipe', 'pipe'],
    detached: true,
  });
  if (child.pid !== undefined) options.guard?.adopt(child.pid);
  return {
    id: child.pid,
    stdout: child.stdout,
    stderr: child.stderr,
    stop: () => signalGroup(child.pid, 'SIGTERM'),
    kill: () => signalGroup(child.pid, 'SIGKILL'),
    onEnd(listener) {
      // A spawn failure (ENOENT, EACCES) emits 'error' and no 'exit'.
      child.once('error', (error) => {
        if (child.pid === undefined) listener(null, null, error);
      });
      child.once('exit', (code, signal) => {
        if (child.pid !== undefined) options.guard?.release(child.pid);
        listener(code, signal);
      });
    },
  };
}

function serviceThread(options: SupervisedProcessOptions): Child {
  const [script = ''] = options.args;
  const limits = options.threadLimits ?? {};
  const worker = new Worker(resolve(options.cwd, script), {
    env: { ...options.env },
    stdout: true,
    stderr: true,
    resourceLimits: {
      ...(limits.youngGenerationMb !== undefined && { maxYoungGenerationSizeMb: limits.youngGenerationMb }),
      ...(limits.heapMb !== undefined && { maxOldGenerationSizeMb: limits.heapMb }),
    },
  });
  return {
    id: worker.threadId,
    stdout: worker.stdout,
    stderr: worker.stderr,
    stop: () => worker.postMessage(STOP_MESSAGE),
    kill: () => void worker.terminate(),
    onEnd(listener) {
      // An uncaught error is reported, then the thread exits with code 1: the exit tells both.
      worker.on('error', () => undefined);
      worker.once('exit', (code) => listener(code, null));
    },
  };
}

interface Running {
  readonly child: Child;
  readonly startedAt: number;
  readonly exited: Promise<void>;
  ended: boolean;
}

/**
 * One supervised child process: started, restarted with exponential backoff when it exits
 * while it should be running, and stopped with SIGTERM then SIGKILL, sent to its process group.
 */
export class SupervisedProcess {
  private current: Running | undefined;
  private readonly backoff: RestartBackoff;
  private restartTimer: NodeJS.Timeout | undefined;
  private stopping: Promise<void> | undefined;
  private exitExpected = false;
  private starts = 0;

  constructor(private readonly options: SupervisedProcessOptions) {
    this.backoff = new RestartBackoff(options.backoff);
  }

  get name(): string {
    return this.options.name;
  }

  /** The pid of the live child (its thread id for a service thread), if any. */
  get pid(): number | undefined {
    return this.current && !this.current.ended ? this.current.child.id : undefined;
  }

  /** How many times a child was spawned (1 + restarts). */
  get startCount(): number {
    return this.starts;
  }

  get isStopping(): boolean {
    return this.stopping !== undefined;
  }

  start(): void {
    if (this.stopping || this.exitExpected || (this.current && !this.current.ended)) return;
    this.spawnChild();
  }

  /**
   * From now on an exit is expected: no restart. For a shutdown where the child may get the
   * terminal's Ctrl-C, and exit on its own, before its turn to be stopped comes.
   */
  expectExit(): void {
    this.exitExpected = true;
    clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
  }

  /**
   * SIGTERM (a stop message to a thread), up to `stopTimeoutMs` for the child to exit, then
   * SIGKILL (terminate()). Idempotent.
   */
  stop(): Promise<void> {
    this.stopping ??= this.stopChild();
    return this.stopping;
  }

  /** Last resort for a runner that is exiting now: SIGKILL without waiting. */
  killNow(): void {
    clearTimeout(this.restartTimer);
    this.stopping ??= Promise.resolve();
    if (this.current && !this.current.ended) this.current.child.kill();
  }

  private spawnChild(): void {
    this.starts += 1;
    const child = this.options.thread ? serviceThread(this.options) : childProcess(this.options);
    let resolveExited: () => void = () => undefined;
    const running: Running = {
      child,
      startedAt: Date.now(),
      exited: new Promise<void>((resolve) => (resolveExited = resolve)),
      ended: false,
    };
    this.current = running;
    child.onEnd((code, signal, error) => {
      if (running.ended) return;
      running.ended = true;
      resolveExited();
      this.onChildEnded(running, code, signal, error);
    });
    if (child.id !== undefined) {
      this.options.onEvent?.({ type: 'spawned', pid: child.id, start: this.starts });
    }
    if (child.stdout && child.stderr) this.options.onOutput?.(child.stdout, child.stderr);
  }

  private onChildEnded(
    running: Running,
    code: number | null,
    signal: NodeJS.Signals | null,
    error: Error | undefined,
  ): void {
    if (this.stopping || this.exitExpected) {
      this.options.onEvent?.({ type: 'stopped', code, signal });
      return;
    }
    const uptimeMs = Date.now() - running.startedAt;
    const restartInMs = this.backoff.next(uptimeMs);
    this.options.onEvent?.(
      error
        ? { type: 'spawn-failed', error, restartInMs }
        : { type: 'crashed', code, signal, uptimeMs, restartInMs },
    );
    // Even a clean exit is restarted after a delay: a stop that is on its way (Ctrl-C reached
    // the child before the runner) clears the timer in time.
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (!this.stopping && !this.exitExpected) this.spawnChild();
    }, restartInMs);
  }

  private async stopChild(): Promise<void> {
    clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    const running = this.current;
    if (!running || running.ended) return;
    const timeoutMs = this.options.stopTimeoutMs ?? 10_000;
    running.child.stop();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), timeoutMs);
    });
    const late = await Promise.race([running.exited.then(() => false), timedOut]);
    clearTimeout(timer);
    if (late && !running.ended) {
      this.options.onEvent?.({ type: 'killed', afterMs: timeoutMs });
      running.child.kill();
      await running.exited;
    }
  }
}
