import { spawn } from 'node:child_process';
import type { Writable } from 'node:stream';

/**
 * The guard's program, run as `node -e`: it reads `+pid` / `-pid` lines (process groups to
 * watch) from its stdin, and when that stdin ends (the runner exited or was killed, -9
 * included) it sends SIGTERM to every group still alive, then SIGKILL after `graceMs`.
 * Written without imports so its source is the whole program.
 */
function guard(graceMs: number): void {
  const groups = new Set<number>();
  let pending = '';
  const signal = (pid: number, name: NodeJS.Signals | 0): boolean => {
    try {
      process.kill(-pid, name);
      return true;
    } catch {
      try {
        process.kill(pid, name);
        return true;
      } catch {
        return false;
      }
    }
  };
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk: string) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const pid = Number(line.slice(1));
      if (!Number.isInteger(pid) || pid <= 1) continue;
      if (line.startsWith('+')) groups.add(pid);
      else groups.delete(pid);
    }
  });
  process.stdin.on('end', () => {
    for (const pid of groups) signal(pid, 'SIGTERM');
    const deadline = Date.now() + graceMs;
    const check = (): void => {
      for (const pid of [...groups]) if (!signal(pid, 0)) groups.delete(pid);
      if (groups.size > 0 && Date.now() < deadline) {
        setTimeout(check, 100);
        return;
      }
      for (const pid of groups) signal(pid, 'SIGKILL');
      process.exit(0);
    };
    check();
  });
}

/** Where the runner tells the guard about the process groups it starts. */
export interface ProcessGuard {
  /** Watch this child's process group (the child was spawned detached: it leads its group). */
  adopt(pid: number): void;
  /** The child exited: forget its group. */
  release(pid: number): void;
}

/**
 * Starts the guard: a small process in a session of its own, so no terminal signal reaches it,
 * that outlives the runner only long enough to end what the runner started.
 */
export function startProcessGuard(graceMs = 3000): ProcessGuard {
  // Transpilers that keep function names wrap inner functions in __name(): define it as a no-op.
  const program = `var __name = (fn) => fn; (${guard.toString()})(${graceMs});`;
  const child = spawn(process.execPath, ['-e', program], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  child.unref();
  const stdin: Writable | null = child.stdin;
  // The pipe must not keep the runner alive; its end is the guard's signal.
  (stdin as (Writable & { unref?: () => void }) | null)?.unref?.();
  stdin?.on('error', () => undefined);
  const say = (line: string): void => {
    if (stdin?.writable) stdin.write(`${line}\n`);
  };
  return { adopt: (pid) => say(`+${pid}`), release: (pid) => say(`-${pid}`) };
}
