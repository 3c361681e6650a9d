/** Readings of a service's Prometheus exposition (/metrics) that the bench reports. */

/** orders_total{status="placed"}; 0 while no order has been counted (the series is not there yet). */
export function placedOrdersCounter(exposition: string): number {
  let placed = 0;
  for (const line of exposition.split('\n')) {
    const match = /^orders_total\{([^}]*)\}\s+(\S+)/.exec(line);
    if (match && /(^|,)status="placed"(,|$)/.test(match[1] ?? '')) placed += Number(match[2]);
  }
  return placed;
}

/** Calls and seconds spent per outgoing RPC method (rpc_client_call_duration_seconds), all statuses summed. */
export type RpcTotals = Map<string, { count: number; seconds: number }>;

export function rpcClientTotals(exposition: string): RpcTotals {
  const totals: RpcTotals = new Map();
  for (const line of exposition.split('\n')) {
    const match = /^rpc_client_call_duration_seconds_(sum|count)\{([^}]*)\}\s+(\S+)/.exec(line);
    const method = match ? /rpc_method="([^"]+)"/.exec(match[2] ?? '')?.[1] : undefined;
    if (!match || !method) continue;
    const entry = totals.get(method) ?? { count: 0, seconds: 0 };
    if (match[1] === 'sum') entry.seconds += Number(match[3]);
    else entry.count += Number(match[3]);
    totals.set(method, entry);
  }
  return totals;
}

/** Per method between two readings: calls made and mean milliseconds per call, slowest first. */
export function rpcDelta(
  before: RpcTotals,
  after: RpcTotals,
): { method: string; calls: number; meanMs: number }[] {
  return [...after]
    .map(([method, end]) => {
      const start = before.get(method) ?? { count: 0, seconds: 0 };
      const calls = end.count - start.count;
      return { method, calls, meanMs: calls > 0 ? ((end.seconds - start.seconds) / calls) * 1000 : 0 };
    })
    .filter((entry) => entry.calls > 0)
    .sort((a, b) => b.meanMs - a.meanMs);
}

export async function scrape(adminUrl: string): Promise<string> {
  const response = await fetch(`${adminUrl}/metrics`, { signal: AbortSignal.timeout(10_000) });
  return response.text();
}
