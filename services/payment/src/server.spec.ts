import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Metadata, status } from '@grpc/grpc-js';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { hipstershop, payment } from '@glasshouse/contracts';
import type { PromiseClient, Tracing } from '@glasshouse/kit';
import { GrpcServer, ServiceMetrics, createClient, createLogger, startTracing } from '@glasshouse/kit';
import { expectStatus, metricSample } from '@glasshouse/kit/testing';
import type { Money } from '@glasshouse/money';
import { ChargeLedger } from './ledger.js';
import { paymentMetrics } from './metrics.js';
import { chargeReversalService, paymentService } from './server.js';

type PaymentClient = PromiseClient<typeof hipstershop.PaymentServiceService>;
type ReversalClient = PromiseClient<typeof payment.ChargeReversalServiceService>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
/** The service's clock: April 2026. */
const NOW = new Date('2026-04-15T12:00:00Z');

const usd = (units: bigint, nanos = 0): Money => ({ currencyCode: 'USD', units, nanos });

function card(
  number: string,
  overrides: Partial<hipstershop.CreditCardInfo> = {},
): hipstershop.CreditCardInfo {
  return {
    creditCardNumber: number,
    creditCardCvv: 672,
    creditCardExpirationYear: 2030,
    creditCardExpirationMonth: 1,
    ...overrides,
  };
}

const invalid = (reason: string | RegExp) => expectStatus(status.INVALID_ARGUMENT, reason);

/** A counter sample with exactly these labels, 0 when absent. */
const sample = (exposition: string, name: string, labels: Record<string, string>): number =>
  metricSample(exposition, name, labels) ?? 0;

describe('PaymentService and ChargeReversalService over gRPC', () => {
  const lines: string[] = [];
  const exporter = new InMemorySpanExporter();
  const metrics = new ServiceMetrics({ defaultMetrics: false });
  const ledger = new ChargeLedger();
  let tracing: Tracing;
  let server: GrpcServer;
  let charges: PaymentClient;
  let reversals: ReversalClient;

  const charge = (creditCard: hipstershop.CreditCardInfo | undefined, amount: Money | undefined = usd(42n)) =>
    charges.charge({ amount, creditCard });

  before(async () => {
    tracing = startTracing({
      serviceName: 'payment-test',
      exporters: [exporter],
      instrumentations: [],
      environment: {},
    });
    const logger = createLogger({
      serviceName: 'payment-test',
      level: 'info',
      destination: { write: (line: string) => lines.push(line) },
    });
    const options = { ledger, metrics: paymentMetrics(metrics), now: () => NOW };
    server = new GrpcServer({ logger, metrics })
      .add(hipstershop.PaymentServiceService, paymentService(options))
      .add(payment.ChargeReversalServiceService, chargeReversalService(options));
    const address = `127.0.0.1:${await server.listen('127.0.0.1', 0)}`;
    charges = createClient(hipstershop.PaymentServiceClient, hipstershop.PaymentServiceService, {
      address,
      metrics,
      deadlineMs: 5000,
    });
    reversals = createClient(payment.ChargeReversalServiceClient, payment.ChargeReversalServiceService, {
      address,
      metrics,
      deadlineMs: 5000,
    });
  });

  after(async () => {
    charges.close();
    reversals.close();
    await server.shutdown(1000);
    await tracing.shutdown();
  });

  describe('Charge', () => {
    const accepted: ReadonlyArray<[string, string]> = [
      ['a 16-digit VISA', '4111111111111111'],
      ['a 13-digit VISA', '4222222222222'],
      ['a 19-digit VISA', '4111111111111111110'],
      ['a MasterCard in the 51–55 range', '5555555555554444'],
      ['a MasterCard in the 2221–2720 range', '2223003122003222'],
      ['a number typed in groups', '4242 4242-4242 4242'],
    ];
    for (const [what, number] of accepted) {
      it(`accepts ${what} and returns a transaction id`, async () => {
        const { transactionId } = await charge(card(number));
        assert.match(transactionId, UUID);
        assert.deepEqual(ledger.find(transactionId), { amount: usd(42n), voided: false });
      });
    }

    it('accepts a card that expires this month, and a four-digit CVV', async () => {
      const { transactionId } = await charge(
        card('5105105105105100', {
          creditCardExpirationYear: 2026,
          creditCardExpirationMonth: 4,
          creditCardCvv: 1234,
        }),
      );
      assert.match(transactionId, UUID);
    });

    it('gives every charge its own transaction id', async () => {
      const ids = await Promise.all([1, 2, 3].map(() => charge(card('4111111111111111'))));
      assert.equal(new Set(ids.map((r) => r.transactionId)).size, 3);
    });

    it('charges once per idempotency key: a retry gets the first transaction back', async () => {
      const metadata = new Metadata();
      metadata.set('idempotency-key', `order-${Date.now()}`);
      const request = { amount: usd(10n), creditCard: card('4111111111111111') };
      const before = ledger.size;
      const [first, second] = await Promise.all([
        charges.charge(request, { metadata }),
        charges.charge(request, { metadata }),
      ]);
      assert.equal(first.transactionId, second.transactionId);
      assert.equal(ledger.size, before + 1);
      const other = await charges.charge(request);
      assert.notEqual(other.transactionId, first.transactionId);
    });

    const refused: ReadonlyArray<[string, hipstershop.ChargeRequest, string]> = [
      [
        'American Express',
        { amount: usd(1n), creditCard: card('378282246310005') },
        'credit_card: American Express cards are not accepted',
      ],
      [
        'Discover',
        { amount: usd(1n), creditCard: card('6011111111111117') },
        'credit_card: Discover cards are not accepted',
      ],
      [
        'JCB',
        { amount: usd(1n), creditCard: card('3530111333300000') },
        'credit_card: JCB cards are not accepted',
      ],
      [
        'Diners Club',
        { amount: usd(1n), creditCard: card('30569309025904') },
        'credit_card: Diners Club cards are not accepted',
      ],
      [
        'UnionPay',
        { amount: usd(1n), creditCard: card('6200000000000005') },
        'credit_card: UnionPay cards are not accepted',
      ],
      [
        'Maestro',
        { amount: usd(1n), creditCard: card('6759649826438453') },
        'credit_card: Maestro cards are not accepted',
      ],
      [
        'a number of no known network',
        { amount: usd(1n), creditCard: card('9111111111111111') },
        'credit_card_number: card type not recognised; VISA and MasterCard are accepted',
      ],
      [
        'a number failing the Luhn check',
        { amount: usd(1n), creditCard: card('4111111111111112') },
        'credit_card_number: failed the Luhn check',
      ],
      [
        'a VISA of the wrong length',
        { amount: usd(1n), creditCard: card('411111111111116') },
        'credit_card_number: a VISA number has 13, 16 or 19 digits',
      ],
      [
        'a MasterCard of the wrong length',
        { amount: usd(1n), creditCard: card('55555555555544440') },
        'credit_card_number: a MasterCard number has 16 digits',
      ],
      [
        'letters in the number',
        { amount: usd(1n), creditCard: card('4111x11111111111') },
        'credit_card_number: must contain only digits',
      ],
      ['an empty number', { amount: usd(1n), creditCard: card('') }, 'credit_card_number: is required'],
      ['a missing card', { amount: usd(1n), creditCard: undefined }, 'credit_card: is required'],
      [
        'a card that expired last month',
        {
          amount: usd(1n),
          creditCard: card('4111111111111111', {
            creditCardExpirationYear: 2026,
            creditCardExpirationMonth: 3,
          }),
        },
        'credit_card: credit card expired 03/2026',
      ],
      [
        'a card that expired in an earlier year',
        {
          amount: usd(1n),
          creditCard: card('4111111111111111', {
            creditCardExpirationYear: 2024,
            creditCardExpirationMonth: 12,
          }),
        },
        'credit_card: credit card expired 12/2024',
      ],
      [
        'month 13',
        { amount: usd(1n), creditCard: card('4111111111111111', { creditCardExpirationMonth: 13 }) },
        'credit_card_expiration_month: 13 is not a month (1–12)',
      ],
      [
        'month 0',
        { amount: usd(1n), creditCard: card('4111111111111111', { creditCardExpirationMonth: 0 }) },
        'credit_card_expiration_month: 0 is not a month (1–12)',
      ],
      [
        'a two-digit year',
        { amount: usd(1n), creditCard: card('4111111111111111', { creditCardExpirationYear: 30 }) },
        'credit_card_expiration_year: 30 is not a four-digit year',
      ],
      [
        'a missing CVV',
        { amount: usd(1n), creditCard: card('4111111111111111', { creditCardCvv: 0 }) },
        'credit_card_cvv: must be 3 or 4 digits',
      ],
      [
        'a five-digit CVV',
        { amount: usd(1n), creditCard: card('4111111111111111', { creditCardCvv: 12345 }) },
        'credit_card_cvv: must be 3 or 4 digits',
      ],
      [
        'a negative CVV',
        { amount: usd(1n), creditCard: card('4111111111111111', { creditCardCvv: -123 }) },
        'credit_card_cvv: must be 3 or 4 digits',
      ],
      [
        'a missing amount',
        { amount: undefined, creditCard: card('4111111111111111') },
        'amount: amount is missing',
      ],
      [
        'a zero amount',
        { amount: usd(0n), creditCard: card('4111111111111111') },
        'amount: must be positive',
      ],
      [
        'a negative amount',
        { amount: usd(-5n, -500_000_000), creditCard: card('4111111111111111') },
        'amount: must be positive',
      ],
      [
        'a malformed amount',
        { amount: usd(1n, 1_000_000_000), creditCard: card('4111111111111111') },
        'amount: nanos 1000000000 is outside [-999999999, 999999999]',
      ],
      [
        'a lower-case currency',
        { amount: { currencyCode: 'usd', units: 1n, nanos: 0 }, creditCard: card('4111111111111111') },
        'amount: currency code "usd" is not an ISO 4217 code',
      ],
    ];
    for (const [what, request, reason] of refused) {
      it(`refuses ${what} with INVALID_ARGUMENT`, async () => {
        const before = ledger.size;
        await assert.rejects(charges.charge(request), invalid(reason));
        assert.equal(ledger.size, before, 'nothing was recorded');
      });
    }

    it('accepts a fractional amount', async () => {
      assert.match((await charge(card('4111111111111111'), usd(0n, 10_000_000))).transactionId, UUID);
    });
  });

  describe('VoidCharge', () => {
    it('voids a charge, and voiding it again changes nothing', async () => {
      const { transactionId } = await charge(card('4111111111111111'), usd(19n, 990_000_000));
      assert.deepEqual(
        await reversals.voidCharge({ transactionId, reason: 'order could not be persisted' }),
        {
          voided: true,
        },
      );
      assert.equal(ledger.find(transactionId)?.voided, true);
      assert.deepEqual(await reversals.voidCharge({ transactionId, reason: 'retry' }), { voided: true });
      const voidedLines = lines.filter((l) => l.includes('"charge voided"') && l.includes(transactionId));
      assert.equal(voidedLines.length, 1, 'logged once');
      assert.match(voidedLines[0] ?? '', /"reason":"order could not be persisted"/);
    });

    it('answers NOT_FOUND for an unknown transaction id', async () => {
      await assert.rejects(
        reversals.voidCharge({ transactionId: '00000000-0000-4000-8000-000000000000', reason: '' }),
        expectStatus(status.NOT_FOUND, /no charge with transaction id/),
      );
    });

    it('refuses an empty or oversized transaction id', async () => {
      await assert.rejects(
        reversals.voidCharge({ transactionId: ' ', reason: '' }),
        invalid('transaction_id: is required'),
      );
      await assert.rejects(
        reversals.voidCharge({ transactionId: 'x'.repeat(65), reason: '' }),
        invalid('transaction_id: longer than 64 characters'),
      );
    });
  });

  describe('telemetry', () => {
    const CARDS = ['4012888888881881', '5454545454545454', '378734493671000', '4012888888881882'];

    it('counts payments by status and network, and the amount charged by currency', async () => {
      const before = (await metrics.scrape()).body;
      await charge(card('5105105105105100'), usd(10n, 250_000_000));
      await charge(card('5105105105105100'), { currencyCode: 'EUR', units: 3n, nanos: 0 });
      await assert.rejects(charge(card('378282246310005')), invalid(/American Express/));
      await assert.rejects(charge(card('9111111111111111')), invalid(/not recognised/));
      const body = (await metrics.scrape()).body;
      const delta = (name: string, labels: Record<string, string>) =>
        sample(body, name, labels) - sample(before, name, labels);
      assert.equal(delta('payments_total', { status: 'success', method: 'mastercard' }), 2);
      assert.equal(delta('payments_total', { status: 'failed', method: 'amex' }), 1);
      assert.equal(delta('payments_total', { status: 'failed', method: 'unknown' }), 1);
      // A float counter: compare to within rounding of the running total.
      assert.ok(Math.abs(delta('payment_amount_total', { currency: 'USD' }) - 10.25) < 1e-9);
      assert.ok(Math.abs(delta('payment_amount_total', { currency: 'EUR' }) - 3) < 1e-9);
      // Pre-initialised at zero, so dashboards see the series before the first failure.
      assert.match(body, /^payments_total(?:_total)?\{status="failed",method="visa"\} \d+$/m);
    });

    it('logs "card charged" with the last four digits, and never a card number, CVV or expiry', async () => {
      lines.length = 0;
      const { transactionId } = await charge(card(CARDS[0] ?? '', { creditCardCvv: 9371 }), usd(7n));
      await charge(card(CARDS[1] ?? '', { creditCardCvv: 9371 }));
      await assert.rejects(
        charge(card(CARDS[2] ?? '', { creditCardCvv: 9371 })),
        invalid(/American Express/),
      );
      await assert.rejects(charge(card(CARDS[3] ?? '', { creditCardCvv: 9371 })), invalid(/Luhn/));
      const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      const charged = records.find(
        (r) => r.message === 'card charged' && r['payment.transaction_id'] === transactionId,
      );
      assert.equal(charged?.['payment.card_last_four'], '1881');
      assert.equal(charged?.['payment.method'], 'visa');
      assert.equal(charged?.['payment.amount'], '7');
      assert.equal(records.filter((r) => r.message === 'card charged').length, 2);
      for (const [index, line] of lines.entries()) {
        for (const number of CARDS) assert.ok(!line.includes(number), `card number in log line: ${line}`);
        // The logger's last-resort scrubber leaves these marks; none means nothing tried to log a card.
        assert.ok(!line.includes('[card]') && !line.includes('[redacted]'), line);
        for (const [key, value] of Object.entries(records[index] ?? {})) {
          assert.doesNotMatch(key, /cvv|expir|card_number/i, line);
          assert.ok(value !== 9371 && value !== '9371', `CVV in log line: ${line}`);
        }
      }
    });

    it('keeps card numbers out of metrics', async () => {
      const { body } = await metrics.scrape();
      for (const number of [...CARDS, '4111111111111111', '5555555555554444', '378282246310005'])
        assert.ok(!body.includes(number), number);
      // Sample values (durations) are long digit runs by nature; card data could only hide in labels.
      const series = body.split('\n').map((line) => line.split(' # ')[0] ?? ''); // exemplars hold trace ids
      const labelValues = series.flatMap((line) => [...line.matchAll(/="([^"]*)"/g)].map((m) => m[1] ?? ''));
      assert.ok(labelValues.length > 0);
      for (const value of labelValues) assert.doesNotMatch(value, /\d{4}/, value);
      assert.doesNotMatch(body, /last_four/);
    });

    it('records a "charge card" span with method and amount, and no card data', async () => {
      exporter.reset();
      await charge(card(CARDS[0] ?? '', { creditCardCvv: 9371 }), usd(12n, 500_000_000));
      await assert.rejects(
        charge(card(CARDS[0] ?? '', { creditCardExpirationYear: 2025, creditCardExpirationMonth: 7 })),
        invalid('credit_card: credit card expired 07/2025'),
      );
      const spans = exporter.getFinishedSpans().filter((s) => s.name === 'charge card');
      assert.equal(spans.length, 2);
      const [ok, failed] = spans;
      assert.equal(ok?.attributes['payment.method'], 'visa');
      assert.equal(ok?.attributes['payment.amount'], 12.5);
      assert.equal(ok?.attributes['payment.currency'], 'USD');
      assert.equal(ok?.status.code, 0);
      assert.equal(failed?.attributes['error.type'], 'INVALID_ARGUMENT');
      assert.equal(failed?.status.code, 2);
      const text = JSON.stringify(
        spans.map((s) => ({ attributes: s.attributes, status: s.status, events: s.events })),
      );
      for (const secret of [CARDS[0] ?? '', '1881', '9371', '2025', '07/'])
        assert.ok(!text.includes(secret), secret);
    });
  });
});
