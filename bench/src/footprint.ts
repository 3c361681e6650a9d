import { residentBytes } from './procfs.js';

/** Memory and CPU of a set of named processes, read from /proc. */

export const MB = 1024 * 1024;

export function residentMegabytes(pids: ReadonlyMap<string, number>): Map<string, number> {
  const rss = new Map<string, number>();
  for (const [name, pid] of pids) rss.set(name, (residentBytes(pid) ?? Number.NaN) / MB);
  return rss;
}

export function total(values: Iterable<number>): number {
  let sum = 0;
  for (const value of values) sum += value;
  return sum;
}

/** CPU seconds used between two snapshots, per process. */
export function cpuDelta(
  before: ReadonlyMap<string, number>,
  after: ReadonlyMap<string, number>,
): Map<string, number> {
  const delta = new Map<string, number>();
  for (const [name, end] of after) delta.set(name, end - (before.get(name) ?? Number.NaN));
  return delta;
}

/** Samples the total RSS every `intervalMs` while load runs, keeping the peak. */
export class PeakMemory {
  peakTotalMb = 0;
  readonly peakByService = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly pids: ReadonlyMap<string, number>) {}

  sample(): void {
    const rss = residentMegabytes(this.pids);
    this.peakTotalMb = Math.max(this.peakTotalMb, total(rss.values()));
    for (const [name, mb] of rss)
      this.peakByService.set(name, Math.max(this.peakByService.get(name) ?? 0, mb));
  }

  start(intervalMs = 250): this {
    this.timer ??= setInterval(() => this.sample(), intervalMs);
    return this;
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
