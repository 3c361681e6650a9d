import type { PromiseClient } from '../grpc/client.js';
import { createClient } from '../grpc/client.js';
import type { ServiceDefinition } from '../grpc/definition.js';
import type { GrpcServer } from '../grpc/server.js';
import type { ServiceMetrics } from '../metrics.js';

/** A service a spec started, and a client of it. */
export interface ServedService<S extends ServiceDefinition> {
  client: PromiseClient<S>;
  /** Closes the client, then drains the server. */
  stop: () => Promise<void>;
}

/** Listens on a free port of 127.0.0.1 and connects a client to one of the server's services. */
export async function serveOnFreePort<S extends ServiceDefinition>(
  server: GrpcServer,
  Client: Parameters<typeof createClient>[0],
  definition: S,
  config: { metrics: ServiceMetrics; deadlineMs?: number },
): Promise<ServedService<S>> {
  const port = await server.listen('127.0.0.1', 0);
  const client = createClient(Client, definition, {
    address: `127.0.0.1:${port}`,
    metrics: config.metrics,
    deadlineMs: config.deadlineMs ?? 5000,
  });
  return {
    client,
    stop: async () => {
      client.close();
      await server.shutdown(1000);
    },
  };
}
