// alert-webhook: the stack's default Alertmanager receiver. Each alert of a webhook POST becomes
// one JSON log line on stdout (so Alloy ships it to Loki beside the services' logs).
// Run from the shop image: `node /app/image/alert-webhook.mjs`; GET /healthz answers 200.
import { createServer } from 'node:http';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { describeAlerts } = require('/app/tools/run/dist/alert-sink.js');
const PORT = Number(process.env.ALERT_WEBHOOK_PORT || 9095);
const LIMIT = 1 << 20;

const log = (level, message, fields = {}) =>
  process.stdout.write(
    `${JSON.stringify({ level, time: new Date().toISOString(), 'service.name': 'alert-webhook', message, ...fields })}\n`,
  );

const server = createServer((request, response) => {
  if (request.method === 'GET' && request.url === '/healthz') {
    response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    return;
  }
  if (request.method !== 'POST') {
    response.writeHead(405).end();
    return;
  }
  const chunks = [];
  let size = 0;
  request.on('data', (chunk) => {
    size += chunk.length;
    if (size > LIMIT) request.destroy();
    else chunks.push(chunk);
  });
  request.on('end', () => {
    try {
      for (const alert of describeAlerts(JSON.parse(Buffer.concat(chunks).toString('utf8')))) {
        log(alert.firing ? 'warn' : 'info', alert.text, { 'alert.firing': alert.firing });
      }
      response.writeHead(200).end();
    } catch (error) {
      log('error', `unreadable webhook payload: ${error instanceof Error ? error.message : error}`);
      response.writeHead(400).end();
    }
  });
});

server.listen(PORT, '0.0.0.0', () => log('info', 'alert webhook listening', { 'server.port': PORT }));
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.close(() => process.exit(0)));
