import { hipstershop } from '@glasshouse/contracts';
import type { EnvReader, GrpcServer, ServiceRuntime } from '@glasshouse/kit';
import { delaying, withFaults } from '@glasshouse/kit';
import { emailService } from './server.js';
import { logTransport, smtpTransport } from './transport.js';

export interface EmailConfig {
  /** Confirmations go out over SMTP when set; else each is a log line. */
  readonly smtpUrl: URL | undefined;
  readonly from: string;
  readonly sendTimeoutMs: number;
}

export function readEmailConfig(env: EnvReader): EmailConfig {
  return Object.freeze({
    smtpUrl: env.url('SMTP_URL'),
    from: env.string('EMAIL_FROM', 'Glasshouse <shop@glasshouse.local>'),
    sendTimeoutMs: env.int('EMAIL_SEND_TIMEOUT_MS', 10_000, { min: 1 }),
  });
}

export interface EmailDependencies extends ServiceRuntime {
  readonly server: GrpcServer;
}

/** Serves the EmailService, sending confirmations over SMTP or logging them. */
export function createEmailService(config: EmailConfig, deps: EmailDependencies): void {
  const { logger } = deps;
  const transport = config.smtpUrl
    ? smtpTransport({ url: config.smtpUrl, from: config.from, timeoutMs: config.sendTimeoutMs, logger })
    : logTransport(logger);
  deps.onShutdown('mail transport', () => transport.close());
  // The host only: the URL may carry credentials.
  logger.info(
    { 'email.transport': transport.name, 'server.address': config.smtpUrl?.hostname },
    'mail transport ready',
  );
  deps.server.add(
    hipstershop.EmailServiceService,
    withFaults(emailService({ transport, metrics: deps.metrics }), deps.flags, (_method, flags) =>
      delaying(flags, 'email-backlog', 3000),
    ),
  );
}
