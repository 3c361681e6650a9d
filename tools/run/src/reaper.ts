import { execFileSync } from 'node:child_process';

/**
 * The processes that started the runner and whose death means nobody waits for it any more:
 * its parent and, when that is a shell or npm, the grandparent (`npm start` runs `sh -c`).
 */
export function launchers(ppid = process.ppid): number[] {
  const found = [ppid];
  try {
    const [grandparent, command] = execFileSync('ps', ['-o', 'ppid=,comm=', '-p', String(ppid)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .trim()
      .split(/\s+/);
    const pid = Number(grandparent);
    if (/(^|\/)(sh|bash|dash|zsh|npm|node)$/.test(command ?? '') && Number.isInteger(pid) && pid > 1)
      found.push(pid);
  } catch {
    // No ps: watch the parent alone.
  }
  return found.filter((pid) => pid > 1);
}

/** Calls onGone once when any of these processes has ended (polled every intervalMs). */
export function watchLaunchers(
  pids: readonly number[],
  onGone: (pid: number) => void,
  intervalMs = 500,
): () => void {
  const timer = setInterval(() => {
    for (const pid of pids) {
      try {
        process.kill(pid, 0);
      } catch (error) {
        // EPERM: alive, under another user.
        if ((error as NodeJS.ErrnoException).code === 'EPERM') continue;
        clearInterval(timer);
        onGone(pid);
        return;
      }
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
