import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cardNetwork, examineCard, monthOf } from './card.js';
import { ChargeLedger } from './ledger.js';

describe('cardNetwork', () => {
  it('tells networks apart by issuer prefix', () => {
    const cases: [string, string | undefined][] = [
      ['4111111111111111', 'visa'],
      ['5105105105105100', 'mastercard'],
      ['2221000000000009', 'mastercard'],
      ['2720990000000007', 'mastercard'],
      ['2220990000000000', undefined],
      ['2721000000000000', undefined],
      ['340000000000009', 'amex'],
      ['6221260000000000', 'discover'],
      ['6229250000000000', 'discover'],
      ['6229260000000000', 'unionpay'],
      ['6500000000000002', 'discover'],
      ['3589000000000000', 'jcb'],
      ['36000000000000', 'diners'],
      ['5', undefined],
    ];
    for (const [digits, method] of cases) assert.equal(cardNetwork(digits)?.method, method, digits);
  });
});

describe('examineCard', () => {
  const today = { year: 2026, month: 4 };
  const card = {
    creditCardNumber: '4111111111111111',
    creditCardCvv: 123,
    creditCardExpirationYear: 2026,
    creditCardExpirationMonth: 4,
  };

  it('accepts a valid VISA and keeps only its last four digits', () => {
    assert.deepEqual(examineCard(card, today), { method: 'visa', problem: undefined, lastFour: '1111' });
  });

  it('judges expiry by whole months', () => {
    assert.equal(
      examineCard(card, { year: 2026, month: 5 }).problem,
      'credit_card: credit card expired 04/2026',
    );
    assert.equal(examineCard(card, { year: 2025, month: 12 }).problem, undefined);
  });

  it('reads the month of an instant in UTC', () => {
    assert.deepEqual(monthOf(new Date('2026-04-30T23:59:59Z')), { year: 2026, month: 4 });
    assert.deepEqual(monthOf(new Date('2027-01-01T00:00:00Z')), { year: 2027, month: 1 });
  });
});

describe('ChargeLedger', () => {
  const usd = { currencyCode: 'USD', units: 1n, nanos: 0 };

  it('forgets the oldest charges past its capacity', () => {
    const ledger = new ChargeLedger(2);
    ledger.record('a', usd);
    ledger.record('b', usd);
    ledger.record('c', usd);
    assert.equal(ledger.size, 2);
    assert.equal(ledger.find('a'), undefined);
    assert.equal(ledger.void('a'), 'unknown');
    assert.equal(ledger.void('c'), 'voided');
    assert.equal(ledger.void('c'), 'already voided');
    assert.throws(() => new ChargeLedger(0), RangeError);
  });

  it('refunds within the charge, once per refund id, and never a voided charge', async () => {
    const ledger = new ChargeLedger();
    await ledger.recordCharge({
      transactionId: 't',
      idempotencyKey: undefined,
      amount: usd,
      method: 'visa',
      lastFour: '1111',
    });
    const refund = {
      transactionId: 't',
      refundId: 'r1',
      amount: { ...usd, nanos: 500_000_000, units: 0n },
      reason: '',
    };
    assert.deepEqual(await ledger.refundCharge(refund), {
      outcome: 'refunded',
      refunded: refund.amount,
      refundedTotal: refund.amount,
      method: 'visa',
    });
    assert.equal((await ledger.refundCharge(refund)).outcome, 'already refunded');
    assert.deepEqual(await ledger.refundCharge({ ...refund, refundId: 'r2', amount: usd }), {
      outcome: 'more than is left',
      left: { currencyCode: 'USD', units: 0n, nanos: 500_000_000 },
    });
    assert.equal(
      (await ledger.refundCharge({ ...refund, transactionId: 'x', refundId: 'r3' })).outcome,
      'unknown charge',
    );
    ledger.void('t');
    assert.equal((await ledger.refundCharge({ ...refund, refundId: 'r4' })).outcome, 'voided');
  });
});
