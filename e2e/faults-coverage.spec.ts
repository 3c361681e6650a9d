import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SCENARIO_NAMES } from '@glasshouse/kit';
import { ANSWER_KEY } from '../tools/faults/src/answer-key.js';
import { PROOF_GROUPS, PROVABLE, isPending } from './support/fault-proofs.js';

/**
 * Fast: every failure scenario has an answer-key entry, and every one not pending has exactly
 * one end-to-end proof in e2e/faults-alerts.spec.ts (its groups are PROOF_GROUPS).
 */
describe('every failure scenario is proven end to end', () => {
  const proven = PROOF_GROUPS.flatMap((group) => group.scenarios);

  it('has an answer-key entry for every scenario', () => {
    const missing = SCENARIO_NAMES.filter((s) => !Object.hasOwn(ANSWER_KEY, s));
    assert.deepEqual(missing, [], 'scenarios without an answer-key entry');
  });

  it('has a proof group for every scenario not pending, and none for a pending one', () => {
    assert.deepEqual(
      PROVABLE.filter((s) => !proven.includes(s)),
      [],
      'scenarios with an answer key but no end-to-end proof: add them to e2e/support/fault-proofs.ts',
    );
    assert.deepEqual(
      proven.filter(isPending),
      [],
      'pending scenarios cannot be switched on, so cannot be proven yet',
    );
  });

  it('proves each scenario once, and gives parameters only to scenarios of its group', () => {
    assert.deepEqual(
      proven.filter((s, i) => proven.indexOf(s) !== i),
      [],
      'scenarios in more than one group',
    );
    for (const group of PROOF_GROUPS) {
      for (const scenario of Object.keys(group.values ?? {}))
        assert.ok(
          group.scenarios.some((s) => s === scenario),
          `${group.title}: values for ${scenario}`,
        );
    }
  });
});
