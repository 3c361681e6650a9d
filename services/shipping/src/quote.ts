import type { Money } from '@glasshouse/money';
import { zero } from '@glasshouse/money';

/** What any non-empty cart costs to ship, wherever it goes (Online Boutique's flat-fee rule). */
export const FLAT_FEE_USD: Money = Object.freeze({ currencyCode: 'USD', units: 8n, nanos: 990_000_000 });

/** The shipping cost of a cart: the flat fee when it holds anything, zero when empty. */
export function shippingQuote(itemCount: number, flatFee: Money = FLAT_FEE_USD): Money {
  return itemCount > 0 ? { ...flatFee } : zero(flatFee.currencyCode);
}
