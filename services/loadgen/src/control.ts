import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AddressInfo } from 'node:net';
import type { Logger, ReadinessCheck, ServiceMetrics } from '@glasshouse/kit';
import { liveness, readiness } from '@glasshouse/kit';
import type { TrafficGenerator } from './generator.js';
import { SettingsError, parseSettingsPatch } from './settings.js';

const MAX_BODY_BYTES = 16 * 1024;

export interface ControlOptions {
  readonly generator: TrafficGenerator;
  readonly metrics: ServiceMetrics;
  readonly checks?: readonly ReadinessCheck[];
}

type Answer = { status: number; body: unknown; contentType?: string };

class BadRequest extends Error {}

/**
 * The load generator's admin port: /metrics, /healthz and /readyz like every service, plus
 * GET /status, POST /pause, POST /resume and POST /config to steer the traffic while it runs.
 */
export class ControlServer {
  private readonly server: Server;
  private draining = false;

  constructor(private readonly options: ControlOptions) {
    this.server = createServer((request, response) => {
      void this.handle(request, response);
    });
  }

  async listen(host: string, port: number): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
    return (this.server.address() as AddressInfo).port;
  }

  /** /readyz answers 503 from now on: the process is shutting down. */
  drain(): void {
    this.draining = true;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let answer: Answer;
    try {
      answer = await this.route(request);
    } catch (error) {
      const known = error instanceof SettingsError || error instanceof BadRequest;
      const message = error instanceof Error ? error.message : String(error);
      answer = { status: known ? 400 : 500, body: { error: known ? message : 'internal error' } };
    }
    const contentType = answer.contentType ?? 'application/json';
    const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
    response.writeHead(answer.status, { 'content-type': contentType }).end(text);
  }

  private async route(request: IncomingMessage): Promise<Answer> {
    const { generator, metrics } = this.options;
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const routes: Record<string, { method: 'GET' | 'POST'; answer: () => Promise<Answer> | Answer }> = {
      '/metrics': {
        method: 'GET',
        answer: async () => {
          const { contentType, body } = await metrics.scrape();
          return { status: 200, body, contentType };
        },
      },
      '/healthz': { method: 'GET', answer: () => liveness() },
      '/readyz': { method: 'GET', answer: () => readiness(this.options.checks ?? [], this.draining) },
      '/status': { method: 'GET', answer: () => ({ status: 200, body: generator.status() }) },
      '/pause': { method: 'POST', answer: () => ({ status: 200, body: generator.pause() }) },
      '/resume': { method: 'POST', answer: () => ({ status: 200, body: generator.resume() }) },
      '/config': {
        method: 'POST',
        answer: async () => {
          const patch = parseSettingsPatch(await readJson(request));
          return { status: 200, body: generator.configure(patch) };
        },
      },
    };
    const route = Object.hasOwn(routes, path) ? routes[path] : undefined;
    if (!route) return { status: 404, body: { error: `nothing at ${path.slice(0, 100)}` } };
    if (request.method !== route.method)
      return { status: 405, body: { error: `${path} takes ${route.method}` } };
    return route.answer();
  }
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new BadRequest(`body: larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new BadRequest('body: not valid JSON');
  }
}

/** Ready while the shop answers its liveness probe: there is no traffic to make without it. */
export function shopReachable(target: URL): ReadinessCheck {
  return {
    name: 'shop',
    async check() {
      const response = await fetch(new URL('/_healthz', target), { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`${target.origin}/_healthz answered ${response.status}`);
    },
  };
}

/** Resolves once the check passes, trying every `intervalMs`; says once that it is waiting. */
export async function untilReady(check: ReadinessCheck, logger: Logger, intervalMs = 1000): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await check.check();
      return;
    } catch (error) {
      if (attempt === 0) logger.info({ reason: String(error), check: check.name }, 'waiting for the shop');
    }
    await sleep(intervalMs);
  }
}
