import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LEAK_HOLDS_AT, leaking } from './faults.js';
import { FixedFeatureFlags } from './feature-flags.js';

const MIB = 1024 * 1024;

describe('the recommendation-leak hook (leaking)', () => {
  it('keeps kb-per-call on the heap with every call while on, and holds short of the heap limit', () => {
    const flags = new FixedFeatureFlags();
    const limit = 200 * MIB;
    let kept = 0;
    // The heap as the hook reads it: a 20 MiB baseline plus what it kept so far.
    const leak = leaking(flags, 'recommendation-leak', 512, () => ({
      used_heap_size: 20 * MIB + kept,
      heap_size_limit: limit,
    }));
    // Whether a call kept its 16 MiB shows on the real heap, which grows by that much at once.
    const call = () => {
      const before = process.memoryUsage().heapUsed;
      assert.equal(leak(), undefined, 'the leak never delays a call');
      if (process.memoryUsage().heapUsed - before > 8 * MIB) kept += 16 * MIB;
    };

    call();
    assert.equal(kept, 0, 'off, it keeps nothing');
    flags.set('recommendation-leak', { 'kb-per-call': 16 * 1024 });
    for (let i = 0; i < 20; i++) call();
    // 20 MiB + 10 × 16 MiB = 180 MiB; one more would pass 0.93 × 200 MiB = 186 MiB.
    assert.equal(kept, 160 * MIB);
    assert.ok(20 * MIB + kept <= LEAK_HOLDS_AT * limit);
    flags.set('recommendation-leak', undefined);
    const held = process.memoryUsage().heapUsed;
    call();
    // Switched off, the next call lets go of the 160 MiB and collects it at once.
    const freed = held - process.memoryUsage().heapUsed;
    assert.ok(freed > 120 * MIB, `freed ${Math.round(freed / MIB)} MiB`);
  });
});
