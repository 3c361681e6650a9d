import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  REDACTED,
  SECRET_KEYS,
  findCardNumbers,
  maskEmail,
  passesLuhn,
  redactFields,
  scrubText,
} from './redaction.js';

describe('passesLuhn', () => {
  it('accepts test card numbers', () => {
    for (const card of [
      '4111111111111111',
      '4242424242424242',
      '5555555555554444',
      '378282246310005',
      '79927398713',
    ]) {
      assert.equal(passesLuhn(card), true, card);
    }
  });

  it('refuses numbers whose check digit is wrong', () => {
    for (const number of ['4111111111111112', '4242424242424241', '79927398710', '1234567890123456']) {
      assert.equal(passesLuhn(number), false, number);
    }
  });
});

describe('findCardNumbers', () => {
  it('finds Luhn-valid runs of 13 to 19 digits, with or without separators', () => {
    const text = 'a 4111111111111111 b 4242 4242 4242 4242 c 5555-5555-5555-4444 d 378282246310005.';
    assert.deepEqual(findCardNumbers(text), [
      '4111111111111111',
      '4242424242424242',
      '5555555555554444',
      '378282246310005',
    ]);
    // Amex's 4-6-5 grouping and a 19-digit number in groups of four.
    assert.deepEqual(findCardNumbers('3782 822463 10005 and 6011 1111 1111 1111 110'), [
      '378282246310005',
      '6011111111111111110',
    ]);
  });

  it('ignores numbers that fail Luhn, are too short, or are part of a longer word', () => {
    assert.deepEqual(findCardNumbers('order 4111111111111112, zip 79927398713, id x4111111111111111'), []);
    assert.deepEqual(findCardNumbers(''), []);
  });
});

describe('maskEmail', () => {
  it('keeps the first letter and the domain', () => {
    assert.equal(maskEmail('alice@example.com'), 'a***@example.com');
    assert.equal(maskEmail('b@shop.test'), 'b***@shop.test');
  });

  it('hides values that are not emails entirely', () => {
    assert.equal(maskEmail('no-at-sign'), '***');
    assert.equal(maskEmail('@example.com'), '***');
  });
});

describe('scrubText', () => {
  it('replaces card numbers and masks emails in free text', () => {
    assert.equal(
      scrubText('card 4111 1111 1111 1111 of jane.doe+shop@mail.example.org declined'),
      'card [card] of j***@mail.example.org declined',
    );
  });

  it('leaves other text alone, including already masked emails', () => {
    const text = 'order 12345 for a***@example.com, total 4111111111111112 cents';
    assert.equal(scrubText(text), text);
  });

  it('leaves UUIDs alone, even when groups of them join into a Luhn-valid number', () => {
    // Groups 4 and 5, and groups 1 to 3, of these ids are Luhn-valid 16-digit numbers.
    assert.equal(passesLuhn('8006123456789012'), true);
    assert.equal(passesLuhn('2024111012344050'), true);
    const line =
      '{"order_id":"0a1b2c3d-4e5f-4a6b-8006-123456789012","transaction_id":"20241110-1234-4050-a123-b456c789d012"}';
    assert.equal(scrubText(line), line);
    assert.deepEqual(findCardNumbers(line), []);
  });

  it("leaves a log line's trace and span ids alone, even when they read as a card number", () => {
    // 2275755834341599 is a real span id seen in a test run: all digits, Luhn-valid.
    assert.equal(passesLuhn('2275755834341599'), true);
    const line =
      '{"trace_id":"00000000000000004111111111111111","span_id":"2275755834341599","message":"ok"}';
    assert.equal(scrubText(line), line);
    assert.equal(
      scrubText('{"span_id":"2275755834341599","note":"paid with 2275755834341599"}'),
      '{"span_id":"2275755834341599","note":"paid with [card]"}',
    );
  });
});

describe('SECRET_KEYS', () => {
  it('covers passwords, tokens, card numbers and CVVs', () => {
    for (const key of [
      'password',
      'token',
      'authorization',
      'creditCardNumber',
      'creditCardCvv',
      'creditCard',
      'cvv',
    ]) {
      assert.ok((SECRET_KEYS as readonly string[]).includes(key), key);
    }
  });
});

describe('redactFields', () => {
  it('removes secret keys and masks emails at any depth, in objects and arrays', () => {
    const record = {
      password: 'pw-1',
      email: 'alice@example.com',
      order: { customer: { contact: { email: 'bob@example.com', token: 'tok-1' } } },
      lines: [{ cvv: '737', quantity: 2 }],
      note: 'kept',
    };
    assert.deepEqual(redactFields(record), {
      password: REDACTED,
      email: 'a***@example.com',
      order: { customer: { contact: { email: 'b***@example.com', token: REDACTED } } },
      lines: [{ cvv: REDACTED, quantity: 2 }],
      note: 'kept',
    });
  });

  it("leaves the caller's objects as they were, and returns them when nothing is secret", () => {
    const nested = { creditCardNumber: '4111111111111111' };
    const record = { payment: nested, lines: [nested] };
    const redacted = redactFields(record) as typeof record;
    assert.equal(nested.creditCardNumber, '4111111111111111');
    assert.equal(record.payment, nested);
    assert.deepEqual(redacted.payment, { creditCardNumber: REDACTED });
    assert.deepEqual(redacted.lines, [{ creditCardNumber: REDACTED }]);
    const clean = { orderId: 'o-1', items: [{ productId: 'p-1' }] };
    assert.equal(redactFields(clean), clean);
  });

  it("redacts an error's own fields and keeps it an error", () => {
    class DeclinedError extends Error {}
    const error = Object.assign(new DeclinedError('declined'), { authorization: 'Bearer abc' });
    const redacted = redactFields({ err: error }) as { err: Error & { authorization: string } };
    assert.ok(redacted.err instanceof DeclinedError);
    assert.equal(redacted.err.message, 'declined');
    assert.equal(redacted.err.stack, error.stack);
    assert.equal(redacted.err.authorization, REDACTED);
    assert.equal(error.authorization, 'Bearer abc');
  });

  it('stops at a depth bound, so a cycle cannot hang it', () => {
    const cycle: Record<string, unknown> = { name: 'loop' };
    cycle.self = cycle;
    assert.equal(redactFields(cycle), cycle);
  });

  it('leaves class instances other than errors alone', () => {
    const when = new Date(0);
    const bytes = Buffer.from('password');
    assert.equal(redactFields(when), when);
    assert.equal(redactFields(bytes), bytes);
  });
});
