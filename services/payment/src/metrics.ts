import type { ServiceMetrics } from '@glasshouse/kit';
import type { Money } from '@glasshouse/money';
import { toNanos } from '@glasshouse/money';
import type { CardMethod } from './card.js';
import type { VoidOutcome } from './ledger.js';

/** The payment service's business metrics (payments_total, payment_amount_total). Labels never carry card data. */
export interface PaymentMetrics {
  charged(method: CardMethod, amount: Money): void;
  refused(method: CardMethod): void;
  voided(outcome: VoidOutcome): void;
  refunded(method: CardMethod): void;
}

export function paymentMetrics(metrics: ServiceMetrics): PaymentMetrics {
  const payments = metrics.counter('payments_total', 'Card charges by status and card network.', [
    'status',
    'method',
  ]);
  const amount = metrics.counter(
    'payment_amount_total',
    'Amount charged, in units of the currency (e.g. dollars, not cents).',
    ['currency'],
  );
  const voids = metrics.counter('payment_voids_total', 'VoidCharge calls by outcome.', ['result']);
  // Series exist from the start, so rate() and absent() behave before the first charge.
  for (const status of ['success', 'failed'])
    for (const method of ['visa', 'mastercard']) payments.inc({ status, method }, 0);
  return {
    charged(method, charged) {
      payments.inc({ status: 'success', method });
      amount.inc({ currency: charged.currencyCode }, Number(toNanos(charged)) / 1e9);
    },
    refused: (method) => payments.inc({ status: 'failed', method }),
    voided: (outcome) => voids.inc({ result: outcome.replace(' ', '_') }),
    refunded: (method) => payments.inc({ status: 'refunded', method }),
  };
}
