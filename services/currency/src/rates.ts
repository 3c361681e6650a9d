import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Rate } from '@glasshouse/money';
import { parseRate } from '@glasshouse/money';

/** Units of each currency per one euro, keyed by ISO 4217 code. */
export type RateTable = ReadonlyMap<string, Rate>;

export const DEFAULT_RATES_FILE = join(__dirname, '..', 'data', 'rates.json');

/** Reads and checks a rates file: an object of code → positive decimal string, EUR at 1. */
export function parseRates(json: string, source = 'rates file'): RateTable {
  const data: unknown = JSON.parse(json);
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw new Error(`${source}: expected an object`);
  const rates = new Map<string, Rate>();
  for (const [code, value] of Object.entries(data)) {
    if (!/^[A-Z]{3}$/.test(code)) throw new Error(`${source}: "${code}" is not an ISO 4217 code`);
    if (typeof value !== 'string') throw new Error(`${source}: rate of ${code} must be a decimal string`);
    rates.set(code, parseRate(value));
  }
  const eur = rates.get('EUR');
  if (!eur || eur.numerator !== eur.denominator)
    throw new Error(`${source}: EUR must be present with rate 1`);
  return rates;
}

export async function loadRates(path = DEFAULT_RATES_FILE): Promise<RateTable> {
  return parseRates(await readFile(path, 'utf8'), path);
}
