import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Metadata, status } from '@grpc/grpc-js';
import { PageError, fromServiceFailure, refusalPage } from './errors.js';

/** What @grpc/grpc-js rejects a call with. */
const refused = (code: status, details: string) =>
  Object.assign(new Error(`${code} ${status[code]}: ${details}`), {
    code,
    details,
    metadata: new Metadata(),
  });

describe('a service refusal as a page', () => {
  it('shows a bad field as 400 and an unknown thing as 404, with the service’s reason', () => {
    const bad = refusalPage(refused(status.INVALID_ARGUMENT, 'quantity must be at least 1'));
    assert.deepEqual(
      [bad?.statusCode, bad?.message, bad?.errorType],
      [400, 'quantity must be at least 1', 'INVALID_ARGUMENT'],
    );
    assert.equal(refusalPage(refused(status.NOT_FOUND, 'no order o-1'))?.statusCode, 404);
  });

  it('takes a route’s own meaning of a status, and leaves the rest to the route', () => {
    const conflict = refusalPage(refused(status.FAILED_PRECONDITION, 'nothing left to refund'), {
      [status.FAILED_PRECONDITION]: [409, 'Not refunded'],
    });
    assert.deepEqual([conflict?.statusCode, conflict?.title], [409, 'Not refunded']);
    assert.equal(refusalPage(refused(status.FAILED_PRECONDITION, 'x')), undefined);
    assert.equal(refusalPage(new Error('not a gRPC error')), undefined);
  });

  it('answers a shopper 503 for a service down, 502 for anything else, and never shows internals', () => {
    const down = fromServiceFailure(
      refused(status.UNAVAILABLE, 'connect ECONNREFUSED 10.0.0.7:50051'),
      'cart',
    );
    assert.equal(down.statusCode, 503);
    assert.equal(down.message, 'The cart is unavailable right now. Please try again in a moment.');
    const broken = fromServiceFailure(refused(status.INTERNAL, 'TypeError at line 3'), 'cart');
    assert.equal(broken.statusCode, 502);
    assert.doesNotMatch(broken.message, /TypeError/);
    const page = new PageError(429, 'Too many attempts', 'wait');
    assert.equal(fromServiceFailure(page, 'cart'), page);
  });
});
