import type { hipstershop } from '@glasshouse/contracts';

type Product = hipstershop.Product;

/** Shuffles a copy of the list (Fisher–Yates) with the given source of randomness in [0, 1). */
export function shuffled<T>(items: readonly T[], random: () => number = Math.random): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

/**
 * Up to `count` ids of catalog products the shopper is not already looking at: first those sharing
 * a category with the products they are looking at, then any others, each group in random order.
 */
export function recommendProducts(
  catalog: readonly Product[],
  lookingAt: readonly string[],
  count: number,
  random: () => number = Math.random,
): string[] {
  const excluded = new Set(lookingAt);
  const categories = new Set(catalog.filter((p) => excluded.has(p.id)).flatMap((p) => p.categories));
  const related: string[] = [];
  const others: string[] = [];
  for (const product of catalog) {
    if (excluded.has(product.id)) continue;
    excluded.add(product.id); // a product listed twice is offered once
    (product.categories.some((c) => categories.has(c)) ? related : others).push(product.id);
  }
  return [...shuffled(related, random), ...shuffled(others, random)].slice(0, Math.max(0, count));
}
