import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { status } from '@grpc/grpc-js';
import { RpcError } from '@glasshouse/kit';
import { MAX_WAITING_HASHES, hashPassword, passwordMatches } from './passwords.js';

describe('password hashing', () => {
  it('matches the password a hash was made from, and no other', async () => {
    const stored = await hashPassword('correct horse battery');
    assert.equal(await passwordMatches('correct horse battery', stored), true);
    assert.equal(await passwordMatches('correct horse batterz', stored), false);
  });

  it('refuses hashes beyond the queue at once (RESOURCE_EXHAUSTED), and hashes again once it drains', async () => {
    const answers = await Promise.allSettled(
      Array.from({ length: MAX_WAITING_HASHES + 8 }, (_, i) => hashPassword(`guess-${i}`)),
    );
    const refused = answers.filter((a) => a.status === 'rejected');
    assert.equal(answers.length - refused.length, MAX_WAITING_HASHES);
    for (const answer of refused) {
      const reason: unknown = answer.status === 'rejected' ? answer.reason : undefined;
      assert.ok(reason instanceof RpcError && reason.code === status.RESOURCE_EXHAUSTED, String(reason));
    }
    assert.match(await hashPassword('after the rush'), /^scrypt\$/);
  });
});
