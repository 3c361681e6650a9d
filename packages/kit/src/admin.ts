import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServiceMetrics } from './metrics.js';

/** A dependency the service needs to do its work; /readyz is 503 while any check fails. */
export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<void>;
}

export interface ProbeResult {
  status: number;
  body: { status: 'ok' | 'unavailable'; checks?: Record<string, string> };
}

const CHECK_TIMEOUT_MS = 2000;

/** Liveness says only that the process answers; it never depends on other services. */
export function liveness(): ProbeResult {
  return { status: 200, body: { status: 'ok' } };
}

/** Readiness runs every check; draining (shutdown started) makes it fail at once. */
export async function readiness(checks: readonly ReadinessCheck[], draining: boolean): Promise<ProbeResult> {
  if (draining) return { status: 503, body: { status: 'unavailable', checks: { shutdown: 'draining' } } };
  const results = await Promise.all(
    checks.map(async (c) => {
      let timer: NodeJS.Timeout | undefined;
      try {
        // A dependency that does not answer is as unready as one that says no.
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)),
            CHECK_TIMEOUT_MS,
          );
        });
        await Promise.race([c.check(), timeout]);
        return [c.name, 'ok'] as const;
      } catch (error) {
        return [c.name, error instanceof Error ? error.message : String(error)] as const;
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const ok = results.every(([, result]) => result === 'ok');
  return {
    status: ok ? 200 : 503,
    body: { status: ok ? 'ok' : 'unavailable', checks: Object.fromEntries(results) },
  };
}

export interface AdminServerOptions {
  metrics: ServiceMetrics;
  checks?: readonly ReadinessCheck[];
}

/**
 * The admin HTTP endpoint of a gRPC service: /metrics (OpenMetrics), /healthz (liveness),
 * /readyz (dependencies ready).
 */
export class AdminServer {
  private readonly server: Server;
  private draining = false;

  constructor(private readonly options: AdminServerOptions) {
    this.server = createServer((request, response) => {
      void this.handle(request, response);
    });
  }

  /** Marks the service as shutting down: /readyz answers 503 from now on. */
  drain(): void {
    this.draining = true;
  }

  async listen(host: string, port: number): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '/').split('?')[0];
    try {
      if (path === '/metrics') {
        const { contentType, body } = await this.options.metrics.scrape();
        response.writeHead(200, { 'content-type': contentType }).end(body);
        return;
      }
      const probe =
        path === '/healthz'
          ? liveness()
          : path === '/readyz'
            ? await readiness(this.options.checks ?? [], this.draining)
            : { status: 404, body: { status: 'unavailable' as const, checks: { path: 'not found' } } };
      response
        .writeHead(probe.status, { 'content-type': 'application/json' })
        .end(JSON.stringify(probe.body));
    } catch (error) {
      response
        .writeHead(500, { 'content-type': 'text/plain' })
        .end(error instanceof Error ? error.message : 'error');
    }
  }
}
