import type { hipstershop } from '@glasshouse/contracts';
import { ADS_BY_CATEGORY, ALL_ADS, isCategory } from './ads.js';

/** Most ads returned for a page. */
export const MAX_ADS = 2;
export const MAX_CONTEXT_KEYS = 20;
export const MAX_CONTEXT_KEY_LENGTH = 64;

/** A random integer in [0, max). */
export type RandomIndex = (max: number) => number;

export const mathRandomIndex: RandomIndex = (max) => Math.floor(Math.random() * max);

export interface AdSelection {
  readonly ads: hipstershop.Ad[];
  /** contextual when the ads match the context keys, random when none did. */
  readonly match: 'contextual' | 'random';
}

/** Why context keys are refused, naming the field, or undefined when they are fine. */
export function contextKeysProblem(keys: readonly string[]): string | undefined {
  if (keys.length > MAX_CONTEXT_KEYS)
    return `context_keys: at most ${MAX_CONTEXT_KEYS} keys, got ${keys.length}`;
  const index = keys.findIndex((key) => key.length > MAX_CONTEXT_KEY_LENGTH);
  return index < 0 ? undefined : `context_keys[${index}]: longer than ${MAX_CONTEXT_KEY_LENGTH} characters`;
}

/** Picks n distinct elements uniformly (a partial Fisher–Yates shuffle). */
function pick<T>(items: readonly T[], n: number, random: RandomIndex): T[] {
  const pool = [...items];
  const count = Math.min(n, pool.length);
  for (let i = 0; i < count; i++) {
    const j = i + random(pool.length - i);
    [pool[i], pool[j]] = [pool[j] as T, pool[i] as T];
  }
  return pool.slice(0, count);
}

/**
 * Up to MAX_ADS ads for the categories among the context keys (case and surrounding spaces
 * ignored), never two for the same product; one random ad when no key names a category.
 */
export function selectAds(keys: readonly string[], random: RandomIndex = mathRandomIndex): AdSelection {
  const categories = new Set(keys.map((key) => key.trim().toLowerCase()).filter(isCategory));
  const matching = new Map<string, hipstershop.Ad>();
  for (const category of categories)
    for (const ad of ADS_BY_CATEGORY[category])
      if (!matching.has(ad.redirectUrl)) matching.set(ad.redirectUrl, ad);
  if (matching.size > 0) return { ads: pick([...matching.values()], MAX_ADS, random), match: 'contextual' };
  return { ads: pick(ALL_ADS, 1, random), match: 'random' };
}
