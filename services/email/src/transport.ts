import type { Logger } from '@glasshouse/kit';
import { ConfigError, maskEmail } from '@glasshouse/kit';
import { createTransport } from 'nodemailer';
import type { Confirmation } from './template.js';

export type TransportName = 'smtp' | 'log';

/** Where confirmations go: a mail server, or the log when none is configured. */
export interface ConfirmationTransport {
  readonly name: TransportName;
  deliver(
    to: string,
    confirmation: Confirmation,
    summary: { orderId: string; itemCount: number },
  ): Promise<void>;
  close(): void;
}

/** A delivery the mail server did not accept in time or at all; carries no addresses. */
export class DeliveryError extends Error {
  constructor(
    readonly errorType: string,
    readonly responseCode?: number,
  ) {
    super(`delivery failed: ${errorType}`);
    this.name = 'DeliveryError';
  }
}

/** Without SMTP, the rendered confirmation is summarised in the log, with the address masked. */
export function logTransport(logger: Logger): ConfirmationTransport {
  return {
    name: 'log',
    async deliver(to, confirmation, summary) {
      logger.info(
        {
          email: maskEmail(to),
          'order.id': summary.orderId,
          'order.item_count': summary.itemCount,
          'email.html_bytes': Buffer.byteLength(confirmation.html),
        },
        'confirmation rendered',
      );
    },
    close: () => undefined,
  };
}

export interface SmtpOptions {
  /** smtp://user:pass@host:port or smtps://…; credentials stay out of logs. */
  url: URL;
  from: string;
  /** The most one delivery may take, connection included. */
  timeoutMs: number;
  logger: Logger;
}

function describeFailure(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  // nodemailer's messages can quote the recipient; keep only the code and the SMTP reply code.
  const { code, responseCode } = (error ?? {}) as { code?: unknown; responseCode?: unknown };
  return new DeliveryError(
    typeof code === 'string' ? code : 'SmtpError',
    typeof responseCode === 'number' ? responseCode : undefined,
  );
}

/**
 * The connection settings of an smtp:// or smtps:// URL. Parsed here because nodemailer ignores
 * every other option (the timeouts among them) when it is given a `url`.
 */
function connectionOf(url: URL): {
  host: string;
  port?: number;
  secure: boolean;
  auth?: { user: string; pass: string };
} {
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:')
    throw new ConfigError('SMTP_URL', `expected an smtp:// or smtps:// URL, got ${url.protocol}//`);
  return {
    host: url.hostname,
    ...(url.port ? { port: Number(url.port) } : {}),
    secure: url.protocol === 'smtps:',
    ...(url.username
      ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } }
      : {}),
  };
}

/** Sends confirmations through an SMTP server with nodemailer, each within timeoutMs. */
export function smtpTransport(options: SmtpOptions): ConfirmationTransport {
  const { timeoutMs } = options;
  const transporter = createTransport({
    ...connectionOf(options.url),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    dnsTimeout: timeoutMs,
  });
  return {
    name: 'smtp',
    async deliver(to, confirmation, summary) {
      let timer: NodeJS.Timeout | undefined;
      // nodemailer's timeouts are per phase; this one bounds the whole delivery.
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new DeliveryError('ETIMEDOUT')), timeoutMs);
      });
      try {
        const info = await Promise.race([
          transporter.sendMail({ from: options.from, to, ...confirmation }),
          deadline,
        ]);
        options.logger.info(
          {
            email: maskEmail(to),
            'order.id': summary.orderId,
            'order.item_count': summary.itemCount,
            'email.message_id': info.messageId,
          },
          'confirmation sent',
        );
      } catch (error) {
        throw describeFailure(error);
      } finally {
        clearTimeout(timer);
      }
    },
    close: () => transporter.close(),
  };
}
