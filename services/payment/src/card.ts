import type { hipstershop } from '@glasshouse/contracts';
import { passesLuhn } from '@glasshouse/kit';

/** A card network as it appears in payments_total{method}. */
export type CardMethod =
  'visa' | 'mastercard' | 'amex' | 'discover' | 'jcb' | 'diners' | 'unionpay' | 'maestro' | 'unknown';

/** What the shop makes of a card: its network, and why it is refused (undefined when accepted). */
export interface CardVerdict {
  readonly method: CardMethod;
  readonly problem: string | undefined;
  /** The last four digits, the only part of the number that may be logged. */
  readonly lastFour: string;
}

/** A card network and whether the shop takes its cards. */
export interface CardNetwork {
  readonly method: Exclude<CardMethod, 'unknown'>;
  readonly name: string;
  readonly accepted: boolean;
  /** Issuer ranges: [prefix length, lowest prefix, highest prefix]. */
  readonly ranges: readonly (readonly [number, number, number])[];
  readonly lengths: readonly number[];
}

// Order matters where ranges overlap: Discover's 622126–622925 lies inside UnionPay's 62.
const NETWORKS: readonly CardNetwork[] = [
  { method: 'visa', name: 'VISA', accepted: true, ranges: [[1, 4, 4]], lengths: [13, 16, 19] },
  {
    method: 'mastercard',
    name: 'MasterCard',
    accepted: true,
    ranges: [
      [2, 51, 55],
      [4, 2221, 2720],
    ],
    lengths: [16],
  },
  {
    method: 'amex',
    name: 'American Express',
    accepted: false,
    ranges: [
      [2, 34, 34],
      [2, 37, 37],
    ],
    lengths: [15],
  },
  {
    method: 'discover',
    name: 'Discover',
    accepted: false,
    ranges: [
      [4, 6011, 6011],
      [6, 622126, 622925],
      [3, 644, 649],
      [2, 65, 65],
    ],
    lengths: [16, 19],
  },
  { method: 'unionpay', name: 'UnionPay', accepted: false, ranges: [[2, 62, 62]], lengths: [16, 17, 18, 19] },
  { method: 'jcb', name: 'JCB', accepted: false, ranges: [[4, 3528, 3589]], lengths: [16, 17, 18, 19] },
  {
    method: 'diners',
    name: 'Diners Club',
    accepted: false,
    ranges: [
      [3, 300, 305],
      [4, 3095, 3095],
      [2, 36, 36],
      [2, 38, 39],
    ],
    lengths: [14, 16, 19],
  },
  {
    method: 'maestro',
    name: 'Maestro',
    accepted: false,
    ranges: [
      [2, 50, 50],
      [2, 56, 58],
      [4, 6304, 6304],
      [4, 6759, 6759],
    ],
    lengths: [12, 13, 14, 15, 16, 17, 18, 19],
  },
];

const startsInRange = (digits: string, [length, low, high]: readonly [number, number, number]): boolean => {
  const prefix = Number(digits.slice(0, length));
  return digits.length >= length && prefix >= low && prefix <= high;
};

/** The network a number belongs to, by its issuer prefix. */
export function cardNetwork(digits: string): CardNetwork | undefined {
  return NETWORKS.find((network) => network.ranges.some((range) => startsInRange(digits, range)));
}

const lengthsText = (lengths: readonly number[]): string =>
  lengths.length === 1 ? String(lengths[0]) : `${lengths.slice(0, -1).join(', ')} or ${lengths.at(-1)}`;

/** A calendar month, the unit card expiry is stated in. */
export interface YearMonth {
  readonly year: number;
  readonly month: number;
}

function expiryProblem(card: hipstershop.CreditCardInfo, today: YearMonth): string | undefined {
  const { creditCardExpirationYear: year, creditCardExpirationMonth: month } = card;
  if (!Number.isInteger(month) || month < 1 || month > 12)
    return `credit_card_expiration_month: ${month} is not a month (1–12)`;
  if (!Number.isInteger(year) || year < 1000 || year > 9999)
    return `credit_card_expiration_year: ${year} is not a four-digit year`;
  // A card is valid through the last day of its expiry month.
  if (year < today.year || (year === today.year && month < today.month))
    return `credit_card: credit card expired ${String(month).padStart(2, '0')}/${year}`;
  return undefined;
}

// The CVV travels as an int32, so a leading zero is lost ("042" arrives as 42): any value up to
// four digits can be a real CVV; zero is proto3's "not set".
const cvvProblem = (cvv: number): string | undefined =>
  Number.isInteger(cvv) && cvv >= 1 && cvv <= 9999 ? undefined : 'credit_card_cvv: must be 3 or 4 digits';

/**
 * Checks a card as the shop accepts it: VISA or MasterCard, a number of the network's length
 * that passes the Luhn check, not expired at `today`, and a CVV of 3–4 digits.
 */
export function examineCard(card: hipstershop.CreditCardInfo | undefined, today: YearMonth): CardVerdict {
  const refuse = (method: CardMethod, problem: string, lastFour = ''): CardVerdict => ({
    method,
    problem,
    lastFour,
  });
  if (!card) return refuse('unknown', 'credit_card: is required');
  // People type numbers in groups; spaces and dashes carry no meaning.
  const digits = card.creditCardNumber.replace(/[ -]/g, '');
  if (!digits) return refuse('unknown', 'credit_card_number: is required');
  if (!/^\d+$/.test(digits)) return refuse('unknown', 'credit_card_number: must contain only digits');
  const network = cardNetwork(digits);
  if (!network)
    return refuse(
      'unknown',
      'credit_card_number: card type not recognised; VISA and MasterCard are accepted',
    );
  if (!network.accepted) return refuse(network.method, `credit_card: ${network.name} cards are not accepted`);
  const lastFour = digits.slice(-4);
  if (!network.lengths.includes(digits.length)) {
    const problem = `credit_card_number: a ${network.name} number has ${lengthsText(network.lengths)} digits`;
    return refuse(network.method, problem, lastFour);
  }
  if (!passesLuhn(digits))
    return refuse(network.method, 'credit_card_number: failed the Luhn check', lastFour);
  const problem = expiryProblem(card, today) ?? cvvProblem(card.creditCardCvv);
  return { method: network.method, problem, lastFour };
}

/** The calendar month of an instant, in UTC. */
export function monthOf(instant: Date): YearMonth {
  return { year: instant.getUTCFullYear(), month: instant.getUTCMonth() + 1 };
}
