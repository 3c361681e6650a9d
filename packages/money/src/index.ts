/**
 * Money as the wire carries it: whole units plus nanos (10^-9), both with the same sign.
 * All arithmetic happens on bigint nanos, so sums and conversions are exact; only the final
 * conversion rounds, to the nearest nano, halves away from zero.
 */

export interface Money {
  currencyCode: string;
  units: bigint;
  nanos: number;
}

const NANOS_PER_UNIT = 1_000_000_000n;
const MAX_NANOS = 999_999_999;

/** Why an amount is malformed, or undefined when it is well formed. */
export function moneyProblem(money: Money | undefined): string | undefined {
  if (!money) return 'amount is missing';
  if (!/^[A-Z]{3}$/.test(money.currencyCode))
    return `currency code "${money.currencyCode}" is not an ISO 4217 code`;
  if (!Number.isInteger(money.nanos) || money.nanos < -MAX_NANOS || money.nanos > MAX_NANOS) {
    return `nanos ${money.nanos} is outside [-999999999, 999999999]`;
  }
  if ((money.units > 0n && money.nanos < 0) || (money.units < 0n && money.nanos > 0)) {
    return 'units and nanos have opposite signs';
  }
  return undefined;
}

export function toNanos(money: Money): bigint {
  return money.units * NANOS_PER_UNIT + BigInt(money.nanos);
}

export function fromNanos(currencyCode: string, total: bigint): Money {
  // bigint division truncates toward zero, so units and nanos keep the same sign.
  return { currencyCode, units: total / NANOS_PER_UNIT, nanos: Number(total % NANOS_PER_UNIT) };
}

export function zero(currencyCode: string): Money {
  return { currencyCode, units: 0n, nanos: 0 };
}

export function isZero(money: Money): boolean {
  return money.units === 0n && money.nanos === 0;
}

export function add(a: Money, b: Money): Money {
  if (a.currencyCode !== b.currencyCode)
    throw new Error(`cannot add ${a.currencyCode} and ${b.currencyCode}`);
  return fromNanos(a.currencyCode, toNanos(a) + toNanos(b));
}

export function multiply(money: Money, quantity: number | bigint): Money {
  return fromNanos(money.currencyCode, toNanos(money) * BigInt(quantity));
}

export function sum(currencyCode: string, amounts: readonly Money[]): Money {
  return amounts.reduce(add, zero(currencyCode));
}

/** A positive decimal such as "1.1305", as an exact fraction. */
export interface Rate {
  numerator: bigint;
  denominator: bigint;
}

export function parseRate(text: string): Rate {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!match) throw new Error(`rate "${text}" is not a positive decimal`);
  const decimals = match[2] ?? '';
  const rate = { numerator: BigInt(match[1] + decimals), denominator: 10n ** BigInt(decimals.length) };
  if (rate.numerator === 0n) throw new Error(`rate "${text}" is zero`);
  return rate;
}

function divideRounded(numerator: bigint, denominator: bigint): bigint {
  const quotient = numerator / denominator;
  const remainder = numerator % denominator;
  const twice = (remainder < 0n ? -remainder : remainder) * 2n;
  if (twice < denominator) return quotient;
  return numerator < 0n ? quotient - 1n : quotient + 1n;
}

/**
 * Converts with rates quoted against one base currency (units of the currency per base unit):
 * amount × to / from, rounded to the nearest nano.
 */
export function convert(money: Money, from: Rate, to: Rate, toCode: string): Money {
  const numerator = toNanos(money) * to.numerator * from.denominator;
  const denominator = to.denominator * from.numerator;
  return fromNanos(toCode, divideRounded(numerator, denominator));
}

/** The amount as a plain decimal string: "12.99", "-0.5". */
export function toDecimalString(money: Money): string {
  const total = toNanos(money);
  const negative = total < 0n;
  const abs = negative ? -total : total;
  const fraction = (abs % NANOS_PER_UNIT).toString().padStart(9, '0').replace(/0+$/, '');
  const whole = (abs / NANOS_PER_UNIT).toString();
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

const formatters = new Map<string, Intl.NumberFormat>();

/** "€12.99", "¥1,430", "CA$5.00": formatted for display, exactly (no float rounding). */
export function formatMoney(money: Money, locale = 'en-US'): string {
  const key = `${locale}:${money.currencyCode}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale, { style: 'currency', currency: money.currencyCode });
    formatters.set(key, formatter);
  }
  // A decimal string is formatted exactly (Intl.NumberFormat v3).
  return formatter.format(toDecimalString(money) as unknown as number);
}
