import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { Terminal } from './log-pipe.js';

/**
 * Receives Alertmanager's webhook (receiver "log" in deploy/alertmanager/alertmanager.yml)
 * and prints each alert on the terminal, so an embedded run shows alerts as they fire.
 */

interface WebhookAlert {
  readonly status?: unknown;
  readonly labels?: Record<string, unknown>;
  readonly annotations?: Record<string, unknown>;
}

/** One terminal line per alert of an Alertmanager webhook payload. */
export function describeAlerts(payload: unknown): { firing: boolean; text: string }[] {
  if (
    typeof payload !== 'object' ||
    payload === null ||
    !('alerts' in payload) ||
    !Array.isArray(payload.alerts)
  ) {
    return [];
  }
  return (payload.alerts as WebhookAlert[]).map((alert) => {
    const labels = alert.labels ?? {};
    const firing = alert.status !== 'resolved';
    const name = typeof labels.alertname === 'string' ? labels.alertname : 'alert';
    const summary = alert.annotations?.summary ?? alert.annotations?.description;
    const where = ['severity', 'service']
      .filter((key) => typeof labels[key] === 'string')
      .map((key) => `${key}=${String(labels[key])}`)
      .join(' ');
    return {
      firing,
      text: `${firing ? 'FIRING' : 'RESOLVED'} ${name}${typeof summary === 'string' ? ` — ${summary}` : ''}${where ? ` ${where}` : ''}`,
    };
  });
}

export async function startAlertSink(host: string, port: number, terminal: Terminal): Promise<Server> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      try {
        for (const alert of describeAlerts(JSON.parse(Buffer.concat(chunks).toString('utf8')))) {
          terminal.say('alerts', alert.firing ? 'warn' : 'info', alert.text);
        }
        res.writeHead(200).end();
      } catch {
        res.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}
