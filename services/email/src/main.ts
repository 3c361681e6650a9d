import '@glasshouse/kit/register';
import { hipstershop } from '@glasshouse/contracts';
import { runGrpcService } from '@glasshouse/kit';
import { emailService } from './server.js';
import { logTransport, smtpTransport } from './transport.js';

const DEFAULT_FROM = 'Glasshouse <shop@glasshouse.local>';

void runGrpcService('email', ({ env, logger, metrics, lifecycle }, server) => {
  const smtpUrl = env.url('SMTP_URL');
  const transport = smtpUrl
    ? smtpTransport({
        url: smtpUrl,
        from: env.string('EMAIL_FROM', DEFAULT_FROM),
        timeoutMs: env.int('EMAIL_SEND_TIMEOUT_MS', 10_000, { min: 1 }),
        logger,
      })
    : logTransport(logger);
  lifecycle.onShutdown('mail transport', () => transport.close());
  // The host only: the URL may carry credentials.
  logger.info(
    { 'email.transport': transport.name, 'server.address': smtpUrl?.hostname },
    'mail transport ready',
  );
  server.add(hipstershop.EmailServiceService, emailService({ transport, metrics }));
});
