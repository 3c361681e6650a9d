import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ServiceError } from '@grpc/grpc-js';
import { Metadata, status } from '@grpc/grpc-js';
import { hipstershop } from '@glasshouse/contracts';
import { fullMethodName, serviceNameOf } from './definition.js';
import {
  RpcError,
  STATUS_NAMES,
  failedPrecondition,
  invalidArgument,
  isServiceError,
  notFound,
  unavailable,
} from './errors.js';

function serviceError(code: status, details: string): ServiceError {
  return Object.assign(new Error(`${code} ${STATUS_NAMES[code]}: ${details}`), {
    code,
    details,
    metadata: new Metadata(),
  });
}

describe('STATUS_NAMES', () => {
  it('names every status code', () => {
    assert.equal(STATUS_NAMES[status.OK], 'OK');
    assert.equal(STATUS_NAMES[status.INVALID_ARGUMENT], 'INVALID_ARGUMENT');
    assert.equal(STATUS_NAMES[status.DEADLINE_EXCEEDED], 'DEADLINE_EXCEEDED');
    assert.equal(STATUS_NAMES[status.UNAUTHENTICATED], 'UNAUTHENTICATED');
    assert.equal(Object.keys(STATUS_NAMES).length, 17);
    assert.ok(Object.isFrozen(STATUS_NAMES));
  });
});

describe('RpcError', () => {
  it('is built by the helpers with their codes, and the status name as error type', () => {
    const cases: [RpcError, status][] = [
      [invalidArgument('bad'), status.INVALID_ARGUMENT],
      [notFound('product 1'), status.NOT_FOUND],
      [failedPrecondition('empty cart'), status.FAILED_PRECONDITION],
      [unavailable('down'), status.UNAVAILABLE],
    ];
    for (const [error, code] of cases) {
      assert.ok(error instanceof RpcError);
      assert.equal(error.code, code);
      assert.equal(error.errorType, STATUS_NAMES[code]);
    }
    assert.equal(notFound('product 1').message, 'product 1');
  });

  it('from() keeps an RpcError as it is', () => {
    const error = new RpcError(status.NOT_FOUND, 'no such order', 'OrderNotFound');
    assert.equal(RpcError.from(error), error);
  });

  it('from() keeps the code and details of a downstream ServiceError', () => {
    const error = RpcError.from(serviceError(status.UNAVAILABLE, 'connection refused'));
    assert.equal(error.code, status.UNAVAILABLE);
    assert.equal(error.message, 'connection refused');
    assert.ok(isServiceError(serviceError(status.OK, '')));
  });

  it('from() hides anything else behind INTERNAL, typed by the error class', () => {
    const fromError = RpcError.from(new TypeError('x is undefined; password=hunter2'));
    assert.equal(fromError.code, status.INTERNAL);
    assert.equal(fromError.message, 'internal error');
    assert.equal(fromError.errorType, 'TypeError');
    const fromString = RpcError.from('oops');
    assert.equal(fromString.code, status.INTERNAL);
    assert.equal(fromString.errorType, 'Error');
    assert.equal(isServiceError(new Error('plain')), false);
    assert.equal(isServiceError({ code: 1, details: 'not an Error' }), false);
  });

  it('toServiceError() carries code and message as details', () => {
    const wire = invalidArgument('from: bad').toServiceError();
    assert.equal(wire.code, status.INVALID_ARGUMENT);
    assert.equal(wire.details, 'from: bad');
    assert.ok(wire.metadata instanceof Metadata);
  });
});

describe('method names', () => {
  it('derive rpc.method and the service name from the definition paths', () => {
    assert.equal(
      fullMethodName('/hipstershop.CurrencyService/Convert'),
      'hipstershop.CurrencyService/Convert',
    );
    assert.equal(fullMethodName('a.B/C'), 'a.B/C');
    assert.equal(serviceNameOf(hipstershop.CurrencyServiceService), 'hipstershop.CurrencyService');
    assert.throws(() => serviceNameOf({}), { message: 'empty service definition' });
  });
});
