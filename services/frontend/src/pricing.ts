import type { hipstershop } from '@glasshouse/contracts';
import type { Money } from '@glasshouse/money';
import { formatMoney } from '@glasshouse/money';
import type { Backends } from './backends.js';

/** Converts an amount to the shopper's currency (no call when it already is in it). */
export async function priceIn(
  backends: Backends,
  amount: Money | undefined,
  currency: string,
): Promise<Money> {
  if (!amount) throw new Error('product has no price');
  if (amount.currencyCode === currency) return amount;
  return backends.currency.convert({ from: amount, toCode: currency });
}

/** A product as a card, its price already in the shopper's currency. */
function cardOf(product: hipstershop.Product, price: Money) {
  return {
    id: product.id,
    name: product.name,
    picture: product.picture,
    categories: product.categories,
    description: product.description,
    price: { text: formatMoney(price) },
  };
}

/** A product as a card in the shopper's currency. */
export async function productCard(backends: Backends, product: hipstershop.Product, currency: string) {
  return cardOf(product, await priceIn(backends, product.priceUsd, currency));
}

/**
 * Products as cards in the shopper's currency. When every price is in it already (the home
 * page of a shopper who kept the default currency) the cards are made at once, without the
 * promise per product that the conversions need.
 */
export async function productCards(
  backends: Backends,
  products: readonly hipstershop.Product[],
  currency: string,
): Promise<ReturnType<typeof cardOf>[]> {
  const inCurrency = (p: hipstershop.Product): p is hipstershop.Product & { priceUsd: Money } =>
    p.priceUsd?.currencyCode === currency;
  if (products.every(inCurrency)) return products.map((p) => cardOf(p, p.priceUsd));
  return Promise.all(products.map((p) => productCard(backends, p, currency)));
}
