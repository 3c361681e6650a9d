import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { emailForStorage, idProblem } from './validation.js';

describe('emailForStorage', () => {
  it('masks a full address and keeps a masked one as it is', () => {
    assert.equal(emailForStorage('alice@example.com'), 'a***@example.com');
    assert.equal(emailForStorage('a***@example.com'), 'a***@example.com');
    assert.equal(emailForStorage(''), '');
    assert.equal(emailForStorage('not-an-email'), '***');
  });
});

describe('idProblem', () => {
  it('accepts UUIDs and session ids, and names the field otherwise', () => {
    assert.equal(idProblem('order_id', '0b7a8f6e-1c1f-4f3e-9d7e-2a4f1e6b9c10'), undefined);
    assert.equal(idProblem('user_id', 'session:abc.123_X'), undefined);
    assert.equal(idProblem('user_id', ''), 'user_id: required');
    assert.match(idProblem('order_id', 'x'.repeat(129)) ?? '', /^order_id: .* is not a valid id$/);
    assert.match(idProblem('order_id', 'a b') ?? '', /^order_id: "a b" is not a valid id$/);
  });
});
