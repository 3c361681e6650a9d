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

export async function priceText(
  backends: Backends,
  amount: Money | undefined,
  currency: string,
): Promise<string> {
  return formatMoney(await priceIn(backends, amount, currency));
}

/** A product as a card in the shopper's currency. */
export async function productCard(backends: Backends, product: hipstershop.Product, currency: string) {
  return {
    id: product.id,
    name: product.name,
    picture: product.picture,
    categories: product.categories,
    description: product.description,
    price: { text: await priceText(backends, product.priceUsd, currency) },
  };
}
