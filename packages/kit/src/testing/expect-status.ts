import assert from 'node:assert/strict';
import type { status } from '@grpc/grpc-js';
import { isServiceError } from '../grpc/errors.js';

/**
 * A check for `assert.rejects`: the call failed with a gRPC error of this code whose details equal
 * the string, or match the pattern.
 */
export function expectStatus(code: status, details: string | RegExp): (error: unknown) => true {
  return (error) => {
    assert.ok(isServiceError(error), 'expected a gRPC error');
    assert.equal(error.code, code, `status ${error.code}: ${error.details}`);
    if (typeof details === 'string') assert.equal(error.details, details);
    else assert.match(error.details, details);
    return true;
  };
}
