import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { hipstershop } from '@glasshouse/contracts';
import { recommendProducts, shuffled } from './recommender.js';

const product = (id: string, ...categories: string[]): hipstershop.Product => ({
  id,
  name: id,
  description: '',
  picture: '',
  priceUsd: { currencyCode: 'USD', units: 1n, nanos: 0 },
  categories,
});

const CATALOG = [
  product('KETTLE', 'kitchen'),
  product('TEAPOT', 'kitchen', 'home'),
  product('LADLE', 'kitchen'),
  product('RUG', 'home'),
  product('SPADE', 'garden'),
  product('BOOTS', 'outdoor'),
  product('NOVEL', 'books'),
];

/** A repeatable source of randomness (a linear congruential generator). */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('shuffled', () => {
  it('returns a permutation and leaves the input alone', () => {
    const input = Object.freeze([1, 2, 3, 4, 5, 6]);
    const output = shuffled(input, seeded(7));
    assert.deepEqual([...output].sort(), [...input]);
    assert.deepEqual(input, [1, 2, 3, 4, 5, 6]);
  });

  it('puts every item in every place over many shuffles', () => {
    const random = seeded(42);
    const seenAt = new Set<string>();
    for (let i = 0; i < 500; i++)
      shuffled(['a', 'b', 'c'], random).forEach((x, at) => seenAt.add(`${x}${at}`));
    assert.equal(seenAt.size, 9);
  });
});

describe('recommendProducts', () => {
  it('offers products sharing a category first, then others', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const ids = recommendProducts(CATALOG, ['KETTLE'], 4, seeded(seed));
      assert.equal(ids.length, 4);
      assert.deepEqual(ids.slice(0, 2).sort(), ['LADLE', 'TEAPOT']);
      assert.ok(!ids.includes('KETTLE'));
      assert.ok(ids.slice(2).every((id) => !['KETTLE', 'TEAPOT', 'LADLE'].includes(id)));
    }
  });

  it('prefers the categories of every product looked at', () => {
    const ids = recommendProducts(CATALOG, ['SPADE', 'NOVEL', 'RUG'], 1, seeded(3));
    assert.deepEqual(ids, ['TEAPOT']);
  });

  it('never offers a product twice, even when the catalog lists it twice', () => {
    const doubled = [...CATALOG, product('RUG', 'home'), product('SPADE', 'garden')];
    for (let seed = 1; seed <= 50; seed++) {
      const ids = recommendProducts(doubled, [], 20, seeded(seed));
      assert.equal(new Set(ids).size, ids.length);
      assert.equal(ids.length, CATALOG.length);
    }
  });

  it('answers fewer than asked when few products are left, and none when none are', () => {
    assert.deepEqual(recommendProducts(CATALOG, ['KETTLE', 'TEAPOT', 'LADLE', 'RUG', 'SPADE', 'BOOTS'], 4), [
      'NOVEL',
    ]);
    assert.deepEqual(
      recommendProducts(
        CATALOG,
        CATALOG.map((p) => p.id),
        4,
      ),
      [],
    );
    assert.deepEqual(recommendProducts([], ['KETTLE'], 4), []);
  });

  it('ignores ids the catalog does not hold', () => {
    const ids = recommendProducts(CATALOG, ['GONE', ''], 20, seeded(9));
    assert.deepEqual([...ids].sort(), CATALOG.map((p) => p.id).sort());
  });
});
