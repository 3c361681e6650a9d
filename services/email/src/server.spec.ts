import assert from 'node:assert/strict';
import type { AddressInfo, Server, Socket } from 'node:net';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { status } from '@grpc/grpc-js';
import { hipstershop } from '@glasshouse/contracts';
import type { Logger, PromiseClient } from '@glasshouse/kit';
import { ConfigError, GrpcServer, ServiceMetrics, createLogger, isServiceError } from '@glasshouse/kit';
import { expectStatus, metricSample, serveOnFreePort, waitFor } from '@glasshouse/kit/testing';
import { emailService } from './server.js';
import type { ConfirmationTransport } from './transport.js';
import { logTransport, smtpTransport } from './transport.js';

type EmailClient = PromiseClient<typeof hipstershop.EmailServiceService>;

const EMAIL = 'ada.lovelace@example.com';
const MASKED = 'a***@example.com';
const ORDER: hipstershop.OrderResult = {
  orderId: '9f0c4e2a-5b7d-4c1e-8a3f-2d6b0e9c7a15',
  shippingTrackingId: 'GH-4K7PZ2QX9M',
  shippingCost: { currencyCode: 'USD', units: 8n, nanos: 990_000_000 },
  shippingAddress: { streetAddress: '1 Glasshouse Lane', city: 'Kew', state: '', country: 'UK', zipCode: 0 },
  items: [
    { item: { productId: 'OLJCESPC7Z', quantity: 2 }, cost: { currencyCode: 'USD', units: 64n, nanos: 0 } },
  ],
};

interface ReceivedMail {
  from: string;
  to: string[];
  data: string;
}

/** Just enough SMTP for nodemailer: greeting, EHLO/HELO, MAIL, RCPT, DATA … '.', RSET, NOOP, QUIT. */
class FakeSmtpServer {
  readonly mails: ReceivedMail[] = [];
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly behaviour: { rejectRecipients?: boolean; silent?: boolean } = {}) {
    this.server = createServer((socket) => this.converse(socket));
  }

  async listen(): Promise<URL> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return new URL(`smtp://127.0.0.1:${(this.server.address() as AddressInfo).port}`);
  }

  /** Connections still open from the client side. */
  get connections(): number {
    return this.sockets.size;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private converse(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    if (this.behaviour.silent) return;
    const reply = (line: string) => socket.write(`${line}\r\n`);
    let buffer = '';
    let data: string[] | undefined;
    let mail: ReceivedMail = { from: '', to: [], data: '' };
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      for (let end = buffer.indexOf('\r\n'); end >= 0; end = buffer.indexOf('\r\n')) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (data) {
          if (line !== '.') {
            data.push(line.startsWith('..') ? line.slice(1) : line);
            continue;
          }
          this.mails.push({ ...mail, data: data.join('\n') });
          data = undefined;
          reply('250 2.0.0 queued');
          continue;
        }
        const address = /<([^>]*)>/.exec(line)?.[1] ?? '';
        switch (line.slice(0, 4).toUpperCase()) {
          case 'EHLO':
          case 'HELO':
            reply('250 fake.smtp');
            break;
          case 'MAIL':
            mail = { from: address, to: [], data: '' };
            reply('250 2.1.0 OK');
            break;
          case 'RCPT':
            if (this.behaviour.rejectRecipients) reply(`550 5.1.1 <${address}>: mailbox unavailable`);
            else {
              mail.to.push(address);
              reply('250 2.1.5 OK');
            }
            break;
          case 'DATA':
            data = [];
            reply('354 end data with <CR><LF>.<CR><LF>');
            break;
          case 'RSET':
          case 'NOOP':
            reply('250 2.0.0 OK');
            break;
          case 'QUIT':
            reply('221 2.0.0 bye');
            socket.end();
            break;
          default:
            reply('502 5.5.2 command not recognised');
        }
      }
    });
    reply('220 fake.smtp ESMTP ready');
  }
}

interface RunningEmail {
  client: EmailClient;
  metrics: ServiceMetrics;
  lines: string[];
  stop(): Promise<void>;
}

async function startEmail(transportFor: (logger: Logger) => ConfirmationTransport): Promise<RunningEmail> {
  const lines: string[] = [];
  const logger = createLogger({
    serviceName: 'email-test',
    level: 'debug',
    destination: { write: (l: string) => lines.push(l) },
  });
  const metrics = new ServiceMetrics({ defaultMetrics: false });
  const transport = transportFor(logger);
  const server = new GrpcServer({ logger, metrics }).add(
    hipstershop.EmailServiceService,
    emailService({ transport, metrics }),
  );
  const served = await serveOnFreePort(
    server,
    hipstershop.EmailServiceClient,
    hipstershop.EmailServiceService,
    {
      metrics,
    },
  );
  return {
    client: served.client,
    metrics,
    lines,
    async stop() {
      await served.stop();
      transport.close();
    },
  };
}

/** emails_sent_total{result,transport}, which must be exposed. */
async function emailsSent(metrics: ServiceMetrics, result: string, transport: string): Promise<number> {
  const value = metricSample((await metrics.scrape()).body, 'emails_sent_total', { result, transport });
  assert.ok(value !== undefined, `no emails_sent_total series for ${result}/${transport}`);
  return value;
}

function assertNoAddressLogged(lines: readonly string[]): void {
  assert.ok(lines.length > 0);
  for (const line of lines)
    assert.ok(!line.toLowerCase().includes(EMAIL), `unmasked email in log line: ${line}`);
}

describe('EmailService with the log transport', () => {
  let email: RunningEmail;

  before(async () => {
    email = await startEmail(logTransport);
  });

  after(async () => {
    await email.stop();
  });

  it('logs a masked summary of the rendered confirmation', async () => {
    assert.deepEqual(await email.client.sendOrderConfirmation({ email: EMAIL, order: ORDER }), {});
    const record = email.lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((r) => r.message === 'confirmation rendered');
    assert.equal(record?.email, MASKED);
    assert.equal(record?.['order.id'], ORDER.orderId);
    assert.equal(record?.['order.item_count'], 1);
    assert.equal(await emailsSent(email.metrics, 'sent', 'log'), 1);
    assertNoAddressLogged(email.lines);
  });

  const refused: ReadonlyArray<[string, hipstershop.SendOrderConfirmationRequest, string]> = [
    [
      'a malformed email',
      { email: 'ada.lovelace-at-example.com', order: ORDER },
      'email: is not a valid email address',
    ],
    ['a missing email', { email: '', order: ORDER }, 'email: is required'],
    ['a missing order', { email: EMAIL, order: undefined }, 'order: is required'],
    [
      'an order without id',
      { email: EMAIL, order: { ...ORDER, orderId: ' ' } },
      'order.order_id: is required',
    ],
  ];
  for (const [what, request, reason] of refused) {
    it(`refuses ${what} with INVALID_ARGUMENT`, async () => {
      const before = await emailsSent(email.metrics, 'rejected', 'log');
      await assert.rejects(
        email.client.sendOrderConfirmation(request),
        expectStatus(status.INVALID_ARGUMENT, reason),
      );
      assert.equal(await emailsSent(email.metrics, 'rejected', 'log'), before + 1);
    });
  }
});

describe('EmailService with the SMTP transport', () => {
  const FROM = 'Glasshouse <shop@glasshouse.local>';

  it('delivers the confirmation to the mail server', async () => {
    const smtp = new FakeSmtpServer();
    const url = await smtp.listen();
    const email = await startEmail((logger) => smtpTransport({ url, from: FROM, timeoutMs: 5000, logger }));
    try {
      await email.client.sendOrderConfirmation({ email: EMAIL, order: ORDER });
      assert.equal(smtp.mails.length, 1);
      const [mail] = smtp.mails;
      assert.equal(mail?.from, 'shop@glasshouse.local');
      assert.deepEqual(mail?.to, [EMAIL]);
      assert.match(mail?.data ?? '', new RegExp(`^Subject: Your Glasshouse order ${ORDER.orderId}$`, 'm'));
      assert.match(mail?.data ?? '', /^From: Glasshouse <shop@glasshouse\.local>$/m);
      assert.match(mail?.data ?? '', /^Content-Type: multipart\/alternative/m);
      assert.match(mail?.data ?? '', /^Content-Type: text\/html/m);
      assert.equal(await emailsSent(email.metrics, 'sent', 'smtp'), 1);
      const sent = email.lines.find((l) => l.includes('"confirmation sent"'));
      assert.ok(sent?.includes(MASKED), sent);
      assertNoAddressLogged(email.lines);
    } finally {
      await email.stop();
      await smtp.close();
    }
  });

  it('answers UNAVAILABLE when the server refuses the recipient, without logging the address', async () => {
    const smtp = new FakeSmtpServer({ rejectRecipients: true });
    const url = await smtp.listen();
    const email = await startEmail((logger) => smtpTransport({ url, from: FROM, timeoutMs: 5000, logger }));
    try {
      await assert.rejects(
        email.client.sendOrderConfirmation({ email: EMAIL, order: ORDER }),
        (error: unknown) => {
          assert.ok(isServiceError(error));
          assert.equal(error.code, status.UNAVAILABLE);
          assert.ok(!error.details.includes(EMAIL));
          return true;
        },
      );
      assert.equal(smtp.mails.length, 0);
      assert.equal(await emailsSent(email.metrics, 'failed', 'smtp'), 1);
      const warning = email.lines.find((l) => l.includes('"confirmation not delivered"'));
      assert.match(warning ?? '', /"smtp.response_code":550/);
      assertNoAddressLogged(email.lines);
    } finally {
      await email.stop();
      await smtp.close();
    }
  });

  it('gives up after the send timeout when the server never answers', async () => {
    const smtp = new FakeSmtpServer({ silent: true });
    const url = await smtp.listen();
    const email = await startEmail((logger) => smtpTransport({ url, from: FROM, timeoutMs: 200, logger }));
    try {
      const start = Date.now();
      await assert.rejects(email.client.sendOrderConfirmation({ email: EMAIL, order: ORDER }), {
        code: status.UNAVAILABLE,
      });
      assert.ok(Date.now() - start < 3000, 'bounded by the timeout, not the RPC deadline');
      assert.equal(await emailsSent(email.metrics, 'failed', 'smtp'), 1);
      // nodemailer got the timeout too (it ignores options beside a `url`), so it hangs up itself.
      await waitFor(() => smtp.connections === 0, { timeoutMs: 2000, what: 'nodemailer to hang up' });
    } finally {
      await email.stop();
      await smtp.close();
    }
  });
});

describe('smtpTransport', () => {
  it('refuses a URL that is not smtp:// or smtps://, naming SMTP_URL', () => {
    const logger = createLogger({ serviceName: 'email-test', level: 'silent' });
    assert.throws(
      () => smtpTransport({ url: new URL('http://mail.example.com'), from: 'x@y.z', timeoutMs: 1, logger }),
      (error: unknown) => error instanceof ConfigError && error.variable === 'SMTP_URL',
    );
  });
});
