import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Logger } from './logging.js';
import { createLogger } from './logging.js';
import { REDACTED, findCardNumbers } from './redaction.js';

const CARD = '4111111111111111';

/** A logger whose lines are kept in memory, parsed. */
function capture(level = 'info'): {
  logger: Logger;
  lines: string[];
  records: () => Record<string, unknown>[];
} {
  const lines: string[] = [];
  const logger = createLogger({
    serviceName: 'checkout',
    level,
    destination: { write: (line) => lines.push(line) },
  });
  return { logger, lines, records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('createLogger', () => {
  it('writes JSON lines with a level label, an ISO time, message and service.name', () => {
    const { logger, records } = capture();
    logger.info({ orderId: 'o-1' }, 'order placed');
    logger.warn('stock low');
    const [first, second] = records();
    assert.ok(first && second);
    assert.equal(first.level, 'info');
    assert.equal(second.level, 'warn');
    assert.equal(first.message, 'order placed');
    assert.equal(first.msg, undefined);
    assert.equal(first['service.name'], 'checkout');
    assert.equal(first.orderId, 'o-1');
    assert.equal(typeof first.time, 'string');
    assert.ok(!Number.isNaN(Date.parse(String(first.time))), `time ${String(first.time)} is not ISO`);
  });

  it('honours the level', () => {
    const { logger, records } = capture('warn');
    logger.info('hidden');
    logger.error('shown');
    assert.deepEqual(
      records().map((r) => r.message),
      ['shown'],
    );
  });

  it('removes secrets by key and masks emails, at the top level and nested', () => {
    const { logger, lines, records } = capture();
    logger.info(
      {
        password: 'hunter2-pw',
        token: 'tok-abcdef',
        email: 'alice@example.com',
        user: { email: 'bob@example.com', password: 'nested-pw' },
        order: { customer: { email: 'carol@example.com' } },
        creditCard: { creditCardNumber: CARD, creditCardCvv: 123, creditCardExpirationYear: 2030 },
        request: { headers: { authorization: 'Bearer sekrit-bearer' } },
      },
      'checkout started',
    );
    const output = lines.join('');
    for (const secret of [
      'hunter2-pw',
      'nested-pw',
      'tok-abcdef',
      CARD,
      'sekrit-bearer',
      'alice@',
      'bob@',
      'carol@',
    ]) {
      assert.ok(!output.includes(secret), `${secret} leaked: ${output}`);
    }
    assert.ok(!/"creditCardCvv"\s*:\s*123/.test(output), 'cvv leaked');
    const [record] = records();
    assert.ok(record);
    assert.equal(record.password, REDACTED);
    assert.equal(record.token, REDACTED);
    assert.equal(record.creditCard, REDACTED);
    assert.equal(record.email, 'a***@example.com');
    assert.deepEqual(record.user, { email: 'b***@example.com', password: REDACTED });
    assert.deepEqual(record.order, { customer: { email: 'c***@example.com' } });
    assert.deepEqual(record.request, { headers: { authorization: REDACTED } });
  });

  it('redacts card fields sent without their creditCard wrapper', () => {
    const { logger, lines, records } = capture();
    logger.info({ payment: { creditCardNumber: CARD, creditCardCvv: 737 }, cvv: 123 }, 'charging');
    assert.ok(!lines.join('').includes(CARD));
    const [record] = records();
    assert.deepEqual(record?.payment, { creditCardNumber: REDACTED, creditCardCvv: REDACTED });
    assert.equal(record?.cvv, REDACTED);
  });

  it('scrubs card numbers and emails from free text', () => {
    const { logger, lines, records } = capture();
    logger.info(`charge failed for card ${CARD}, customer dave.smith@example.com`);
    const output = lines.join('');
    assert.ok(!output.includes(CARD), output);
    assert.ok(!output.includes('dave.smith@'), output);
    assert.deepEqual(findCardNumbers(output), []);
    assert.equal(records()[0]?.message, 'charge failed for card [card], customer d***@example.com');
  });

  it("redacts secrets in errors' fields and child bindings, and leaves the caller's objects alone", () => {
    const { logger, lines, records } = capture();
    const payment = { creditCardNumber: CARD };
    const error = Object.assign(new Error('declined'), { password: 'err-pw' });
    logger.child({ session: { token: 'bound-tok' } }).error({ err: error, payment }, 'payment failed');
    const output = lines.join('');
    for (const secret of [CARD, 'err-pw', 'bound-tok'])
      assert.ok(!output.includes(secret), `${secret} leaked`);
    const [record] = records();
    assert.equal((record?.err as Record<string, unknown>).message, 'declined');
    assert.equal((record?.err as Record<string, unknown>).type, 'Error');
    assert.deepEqual(record?.session, { token: REDACTED });
    assert.equal(payment.creditCardNumber, CARD);
    assert.equal(error.password, 'err-pw');
  });

  it('scrubs card numbers in error messages and stacks', () => {
    const { logger, lines } = capture();
    logger.error({ err: new Error(`declined: ${CARD}`) }, 'payment failed');
    assert.deepEqual(findCardNumbers(lines.join('')), []);
  });

  it('keeps numbers that are not card numbers', () => {
    const { logger, records } = capture();
    logger.info('order 4111111111111112 shipped');
    assert.equal(records()[0]?.message, 'order 4111111111111112 shipped');
  });

  it('scrubs a spaced or dashed card number from free text without an email', () => {
    const { logger, lines } = capture();
    logger.info('paid with 4111 1111 1111 1111');
    logger.info('paid with 4111-1111-1111-1111');
    assert.deepEqual(findCardNumbers(lines.join('')), []);
  });
});
