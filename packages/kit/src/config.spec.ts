import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, envReader } from './config.js';

/** Asserts fn throws a ConfigError for variable, whose message names it. */
function throwsConfigError(fn: () => unknown, variable: string): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    assert.equal(error.name, 'ConfigError');
    assert.equal(error.variable, variable);
    assert.match(error.message, new RegExp(`^${variable}: `));
    return true;
  });
}

describe('envReader', () => {
  it('treats blank and whitespace-only values as unset', () => {
    const env = envReader({ A: '', B: '   ', C: '\t' });
    assert.equal(env.string('A', 'fallback'), 'fallback');
    assert.equal(env.optionalString('B'), undefined);
    assert.equal(env.int('C', 7), 7);
    assert.equal(env.number('A', 1.5), 1.5);
    assert.equal(env.bool('B', true), true);
    assert.equal(env.oneOf('C', ['x', 'y'], 'y'), 'y');
    assert.deepEqual(env.address('A', { host: 'h', port: 1 }), { host: 'h', port: 1 });
    assert.equal(env.url('B'), undefined);
    assert.equal(env.string('MISSING', 'fb'), 'fb');
  });

  it('trims strings', () => {
    assert.equal(envReader({ NAME: '  shop  ' }).string('NAME', 'x'), 'shop');
    assert.equal(envReader({ NAME: ' shop' }).optionalString('NAME'), 'shop');
  });

  it('reads integers and enforces their range', () => {
    const env = envReader({
      N: ' 42 ',
      NEG: '-3',
      LOW: '0',
      HIGH: '101',
      FRACTION: '1.5',
      WORD: 'ten',
      EXP: '1e3',
    });
    assert.equal(env.int('N', 0), 42);
    assert.equal(env.int('NEG', 0), -3);
    assert.equal(env.int('N', 0, { min: 42, max: 42 }), 42);
    throwsConfigError(() => env.int('LOW', 5, { min: 1 }), 'LOW');
    throwsConfigError(() => env.int('HIGH', 5, { max: 100 }), 'HIGH');
    throwsConfigError(() => env.int('FRACTION', 5), 'FRACTION');
    throwsConfigError(() => env.int('WORD', 5), 'WORD');
    throwsConfigError(() => env.int('EXP', 5), 'EXP');
    // The fallback is not range-checked: it is the code's own choice.
    assert.equal(env.int('MISSING', 0, { min: 1 }), 0);
  });

  it('reads numbers and enforces their range', () => {
    const env = envReader({ RATIO: '0.25', BIG: '2', NAN: 'abc', INF: 'Infinity' });
    assert.equal(env.number('RATIO', 1), 0.25);
    assert.equal(env.number('RATIO', 1, { min: 0, max: 1 }), 0.25);
    throwsConfigError(() => env.number('BIG', 1, { max: 1 }), 'BIG');
    throwsConfigError(() => env.number('RATIO', 1, { min: 0.5 }), 'RATIO');
    throwsConfigError(() => env.number('NAN', 1), 'NAN');
    throwsConfigError(() => env.number('INF', 1), 'INF');
  });

  it('reads booleans from the usual words, in any case', () => {
    for (const word of ['1', 'true', 'TRUE', 'yes', 'Yes', 'on'])
      assert.equal(envReader({ B: word }).bool('B', false), true, word);
    for (const word of ['0', 'false', 'False', 'no', 'NO', 'off'])
      assert.equal(envReader({ B: word }).bool('B', true), false, word);
    throwsConfigError(() => envReader({ DEBUG: 'maybe' }).bool('DEBUG', false), 'DEBUG');
    throwsConfigError(() => envReader({ DEBUG: '2' }).bool('DEBUG', false), 'DEBUG');
  });

  it('accepts only the allowed values of oneOf, exactly', () => {
    const levels = ['debug', 'info', 'warn'] as const;
    assert.equal(envReader({ L: 'warn' }).oneOf('L', levels, 'info'), 'warn');
    throwsConfigError(() => envReader({ L: 'WARN' }).oneOf('L', levels, 'info'), 'L');
    throwsConfigError(() => envReader({ L: 'verbose' }).oneOf('L', levels, 'info'), 'L');
  });

  it('parses addresses: a bare port means 0.0.0.0, host:port keeps the host', () => {
    const fallback = { host: '127.0.0.1', port: 1 };
    const read = (value: string) => envReader({ CURRENCY_ADDR: value }).address('CURRENCY_ADDR', fallback);
    assert.deepEqual(read('7000'), { host: '0.0.0.0', port: 7000 });
    assert.deepEqual(read('127.0.0.1:7000'), { host: '127.0.0.1', port: 7000 });
    assert.deepEqual(read('currency:7000'), { host: 'currency', port: 7000 });
    assert.deepEqual(read(':0'), { host: '0.0.0.0', port: 0 });
    assert.deepEqual(read('65535'), { host: '0.0.0.0', port: 65535 });
  });

  it('refuses bad addresses', () => {
    for (const bad of [
      'abc',
      'localhost',
      'localhost:',
      'localhost:http',
      '65536',
      '127.0.0.1:99999',
      '-1',
      '123456',
    ]) {
      throwsConfigError(
        () => envReader({ CURRENCY_ADDR: bad }).address('CURRENCY_ADDR', { host: 'h', port: 1 }),
        'CURRENCY_ADDR',
      );
    }
  });

  it('parses URLs and refuses malformed ones', () => {
    const url = envReader({ U: 'postgres://user@db:5432/shop' }).url('U');
    assert.ok(url instanceof URL);
    assert.equal(url.protocol, 'postgres:');
    assert.equal(url.hostname, 'db');
    assert.equal(url.port, '5432');
    throwsConfigError(() => envReader({ DATABASE_URL: 'not a url' }).url('DATABASE_URL'), 'DATABASE_URL');
    throwsConfigError(() => envReader({ DATABASE_URL: '//no-scheme' }).url('DATABASE_URL'), 'DATABASE_URL');
  });

  it('puts the offending value in the message', () => {
    assert.throws(() => envReader({ PORT: 'eighty' }).int('PORT', 80), {
      message: 'PORT: expected an integer, got "eighty"',
    });
    assert.throws(() => envReader({ PORT: '0' }).int('PORT', 80, { min: 1 }), {
      message: 'PORT: must be at least 1, got 0',
    });
  });

  it('reads process.env by default', () => {
    const name = `KIT_TEST_${process.pid}`;
    process.env[name] = '9';
    try {
      assert.equal(envReader().int(name, 0), 9);
    } finally {
      delete process.env[name];
    }
  });
});
