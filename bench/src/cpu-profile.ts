/** The hottest functions of a V8 CPU profile (`node --cpu-prof`), by self time. */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
}

export interface HotFunction {
  /** `name (file:line)`, the file relative to node_modules or the repository when possible. */
  readonly where: string;
  readonly selfMs: number;
  /** Share of the non-idle samples. */
  readonly share: number;
}

function shortUrl(url: string): string {
  const path = url.replace(/^file:\/\//, '');
  const modules = path.lastIndexOf('node_modules/');
  if (modules >= 0) return path.slice(modules + 'node_modules/'.length);
  const services = path.indexOf('/services/');
  const packages = path.indexOf('/packages/');
  const cut = Math.max(services, packages);
  return cut >= 0 ? path.slice(cut + 1) : path;
}

/** Self time per function (summed over its call sites), busiest first; idle time left out. */
export function hottestFunctions(profile: CpuProfile, limit = 15): HotFunction[] {
  const totalHits = profile.nodes.reduce((sum, node) => sum + (node.hitCount ?? 0), 0);
  const msPerHit = totalHits > 0 ? (profile.endTime - profile.startTime) / 1000 / totalHits : 0;
  const hits = new Map<string, number>();
  let busyHits = 0;
  for (const node of profile.nodes) {
    const count = node.hitCount ?? 0;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)' || count === 0) continue;
    busyHits += count;
    const name = functionName || '(anonymous)';
    const where = url ? `${name} (${shortUrl(url)}:${lineNumber + 1})` : name;
    hits.set(where, (hits.get(where) ?? 0) + count);
  }
  return [...hits]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([where, count]) => ({
      where,
      selfMs: count * msPerHit,
      share: busyHits > 0 ? count / busyHits : 0,
    }));
}
