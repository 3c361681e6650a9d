import { trace } from '@opentelemetry/api';
import type { hipstershop } from '@glasshouse/contracts';
import type { Implementation, ServiceMetrics } from '@glasshouse/kit';
import { invalidArgument, spanRunner, unavailable } from '@glasshouse/kit';
import { renderConfirmation } from './template.js';
import type { ConfirmationTransport } from './transport.js';
import { DeliveryError } from './transport.js';
import { confirmationProblem } from './validation.js';

type EmailService = typeof hipstershop.EmailServiceService;

const inSpan = spanRunner(trace.getTracer('email'));

export interface EmailOptions {
  transport: ConfirmationTransport;
  metrics: ServiceMetrics;
}

/** hipstershop.EmailService: renders order confirmations and hands them to a transport. */
export function emailService(options: EmailOptions): Implementation<EmailService> {
  const { transport } = options;
  const emails = options.metrics.counter(
    'emails_sent_total',
    'Order confirmations by result and transport.',
    ['result', 'transport'],
  );
  for (const result of ['sent', 'failed', 'rejected']) emails.inc({ result, transport: transport.name }, 0);
  const count = (result: string) => emails.inc({ result, transport: transport.name });

  return {
    sendOrderConfirmation: (request, call) =>
      inSpan('send confirmation', async (span) => {
        span.setAttribute('email.transport', transport.name);
        const problem = confirmationProblem(request);
        if (problem || !request.order) {
          count('rejected');
          throw invalidArgument(problem ?? 'order: is required');
        }
        const order = request.order;
        span.setAttribute('order.item_count', order.items.length);
        const confirmation = renderConfirmation(order);
        try {
          await transport.deliver(request.email.trim(), confirmation, {
            orderId: order.orderId,
            itemCount: order.items.length,
          });
        } catch (error) {
          count('failed');
          const failure = error instanceof DeliveryError ? error : new DeliveryError('Error');
          call.logger.warn(
            {
              'order.id': order.orderId,
              'error.type': failure.errorType,
              'smtp.response_code': failure.responseCode,
            },
            'confirmation not delivered',
          );
          throw unavailable('email: the mail server did not accept the confirmation');
        }
        count('sent');
        return {};
      }),
  };
}
