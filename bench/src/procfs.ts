import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

/** Footprint of processes as Linux reports it in /proc. */

/** Kernel clock ticks per second, the unit of utime and stime in /proc/<pid>/stat. */
export const CLOCK_TICKS = ((): number => {
  try {
    const value = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isFinite(value) && value > 0 ? value : 100;
  } catch {
    return 100;
  }
})();

function readProc(pid: number, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined;
  }
}

/** Resident set size (VmRSS) in bytes, or undefined when the process is gone. */
export function residentBytes(pid: number): number | undefined {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readProc(pid, 'status') ?? '');
  return match ? Number(match[1]) * 1024 : undefined;
}

/** The fields of /proc/<pid>/stat after the command name (which may hold spaces and parentheses). */
export function statFields(stat: string): string[] {
  return stat
    .slice(stat.lastIndexOf(')') + 2)
    .trim()
    .split(/\s+/);
}

/** User + system CPU seconds a process has used so far. */
export function cpuSeconds(pid: number): number | undefined {
  return cpuSecondsOf(readProc(pid, 'stat'));
}

/** User + system CPU seconds one thread of a process has used so far. */
export function threadCpuSeconds(pid: number, tid: number): number | undefined {
  return cpuSecondsOf(readProc(pid, `task/${tid}/stat`));
}

/** The threads of a process by name (/proc/<pid>/task/<tid>/comm), each name once: its first thread. */
export function namedThreads(pid: number): Map<string, number> {
  const threads = new Map<string, number>();
  let tids: string[] = [];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return threads;
  }
  for (const tid of tids.map(Number).sort((a, b) => a - b)) {
    const name = readProc(pid, `task/${tid}/comm`)?.trim();
    if (name && !threads.has(name)) threads.set(name, tid);
  }
  return threads;
}

function cpuSecondsOf(stat: string | undefined): number | undefined {
  if (stat === undefined) return undefined;
  // After the name: state(3) ppid(4) … utime(14) stime(15); index 0 here is field 3.
  const fields = statFields(stat);
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}
