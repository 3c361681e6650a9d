import type { ComposeFile } from './model.js';

/** Where each Compose service listens inside the network: its `expose` and published container ports. */
export function listeners(stack: ComposeFile): Map<string, Set<number>> {
  const map = new Map<string, Set<number>>();
  for (const [name, service] of Object.entries(stack.services)) {
    const ports = new Set<number>();
    for (const port of service.expose ?? []) ports.add(Number(String(port).split('/')[0]));
    for (const port of (service.ports ?? []) as readonly (string | { target: number })[]) {
      ports.add(typeof port === 'string' ? Number(port.split(':').at(-1)?.split('/')[0]) : port.target);
    }
    map.set(name, ports);
  }
  return map;
}

/** `host:port` out of a URL or a bare address; undefined when the text names no port. */
export function hostPort(text: string): { host: string; port: number } | undefined {
  const bare = /^[a-z][\w+.-]*:\/\//i.test(text) ? text : `tcp://${text}`;
  try {
    const url = new URL(bare);
    const defaults: Record<string, number> = { 'http:': 80, 'https:': 443 };
    const port = url.port ? Number(url.port) : defaults[url.protocol];
    return port === undefined ? undefined : { host: url.hostname, port };
  } catch {
    return undefined;
  }
}

/**
 * Why `address` (as `from` would dial it) reaches nothing in the stack, or undefined when it
 * names a Compose service listening on that port. localhost means `from` itself.
 */
export function unreachable(
  ports: ReadonlyMap<string, ReadonlySet<number>>,
  from: string,
  address: string,
): string | undefined {
  const target = hostPort(address);
  if (!target) return `${from}: "${address}" names no host and port`;
  const host = ['localhost', '127.0.0.1'].includes(target.host) ? from : target.host;
  const listening = ports.get(host);
  if (!listening) return `${from}: ${address}: no Compose service is called ${host}`;
  if (!listening.has(target.port)) {
    return `${from}: ${address}: ${host} listens on ${[...listening].join(', ') || 'nothing'}, not ${target.port}`;
  }
  return undefined;
}

/** A Collector-style configuration (the OpenTelemetry Collector, Jaeger v2). */
export type PipelineConfig = {
  readonly receivers?: Record<string, unknown>;
  readonly processors?: Record<string, unknown>;
  readonly exporters?: Record<string, unknown>;
  readonly connectors?: Record<string, unknown>;
  readonly extensions?: Record<string, unknown>;
  readonly service: {
    readonly extensions?: readonly string[];
    readonly pipelines: Record<
      string,
      { receivers?: readonly string[]; processors?: readonly string[]; exporters?: readonly string[] }
    >;
  };
};

/** Components a pipeline names but nobody defines, and components defined but never used. */
export function pipelineProblems(config: PipelineConfig): string[] {
  const problems: string[] = [];
  const defined = (kind: keyof Omit<PipelineConfig, 'service'>): Set<string> =>
    new Set(Object.keys(config[kind] ?? {}));
  const used = { receivers: new Set<string>(), processors: new Set<string>(), exporters: new Set<string>() };
  const connectors = defined('connectors');
  for (const [name, pipeline] of Object.entries(config.service.pipelines)) {
    for (const kind of ['receivers', 'processors', 'exporters'] as const) {
      const known = defined(kind);
      // A pipeline needs receivers and exporters; processors may be none.
      if (kind !== 'processors' && (pipeline[kind] ?? []).length === 0) {
        problems.push(`pipeline ${name} has no ${kind}`);
      }
      for (const component of pipeline[kind] ?? []) {
        used[kind].add(component);
        const isConnector = kind !== 'processors' && connectors.has(component);
        if (!known.has(component) && !isConnector) {
          problems.push(`pipeline ${name} names ${kind.slice(0, -1)} ${component}, defined nowhere`);
        }
      }
    }
  }
  for (const kind of ['receivers', 'processors', 'exporters'] as const) {
    for (const component of defined(kind)) {
      if (!used[kind].has(component)) problems.push(`${kind.slice(0, -1)} ${component} is in no pipeline`);
    }
  }
  for (const connector of connectors) {
    if (!used.exporters.has(connector) || !used.receivers.has(connector)) {
      problems.push(`connector ${connector} must end one pipeline and start another`);
    }
  }
  for (const extension of config.service.extensions ?? []) {
    if (!defined('extensions').has(extension)) problems.push(`extension ${extension} is defined nowhere`);
  }
  for (const extension of defined('extensions')) {
    if (!(config.service.extensions ?? []).includes(extension))
      problems.push(`extension ${extension} is not enabled`);
  }
  return problems;
}

/** Deep merge of Collector config files as `--config a --config b` does: maps merge, lists are replaced. */
export function mergeConfigs<T>(base: T, over: unknown): T {
  if (!isRecord(base) || !isRecord(over)) return (over ?? base) as T;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) merged[key] = mergeConfigs(merged[key], value);
  return merged as T;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every value under `key` anywhere in a JSON/YAML tree, with the path where it was found. */
export function valuesOfKey(tree: unknown, key: string, path = ''): { path: string; value: unknown }[] {
  if (Array.isArray(tree)) return tree.flatMap((item, index) => valuesOfKey(item, key, `${path}[${index}]`));
  if (!isRecord(tree)) return [];
  return Object.entries(tree).flatMap(([name, value]) => [
    ...(name === key ? [{ path: `${path}.${name}`, value }] : []),
    ...valuesOfKey(value, key, `${path}.${name}`),
  ]);
}
