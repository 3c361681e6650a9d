/**
 * What never leaves a process in clear: card numbers, CVVs, passwords, tokens; emails are
 * masked. Used by the logger, and by tests that scan every log line and span.
 */

/** Keys whose values are removed wherever they appear in a log record. */
export const SECRET_KEYS = [
  'password',
  'token',
  'authorization',
  'cookie',
  'creditCardNumber',
  'credit_card_number',
  'creditCardCvv',
  'credit_card_cvv',
  'cvv',
  'creditCard',
  'credit_card',
] as const;

export const REDACTED = '[redacted]';

const SECRET_KEY_SET: ReadonlySet<string> = new Set(SECRET_KEYS);

/** How deep `redactFields` looks: keys eight objects down are found; deeper ones, or a cycle, end it. */
const REDACTION_DEPTH = 8;

/** What a secret key's value becomes: emails are masked, everything else removed. */
function censor(key: string, value: unknown): unknown {
  return key === 'email' && typeof value === 'string' ? maskEmail(value) : REDACTED;
}

function isPlainObject(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** A copy of an error with the same prototype (so it still logs as one) and `fields` in place. */
function errorWith(error: Error, fields: Record<string, unknown>): Error {
  const copy = Object.create(
    Object.getPrototypeOf(error) as object | null,
    Object.getOwnPropertyDescriptors(error),
  ) as Error;
  return Object.assign(copy, fields);
}

/**
 * `value` with every secret key's value removed and every `email` masked, in plain objects,
 * arrays and errors' own fields down to REDACTION_DEPTH. Nothing is copied unless something
 * changes, and the caller's objects are never modified.
 *
 * The logger runs it on every record, in place of pino's path-based redaction, which needs a
 * wildcard path per depth and cost far more a line (bench/README.md).
 */
export function redactFields(value: unknown, depth = 0): unknown {
  if (typeof value !== 'object' || value === null || depth >= REDACTION_DEPTH) return value;
  if (Array.isArray(value)) {
    const items = value as unknown[];
    let copy: unknown[] | undefined;
    items.forEach((item, i) => {
      const redacted = redactFields(item, depth + 1);
      if (redacted !== item) (copy ??= [...items])[i] = redacted;
    });
    return copy ?? items;
  }
  const isError = value instanceof Error;
  if (!isError && !isPlainObject(value)) return value;
  let changed: Record<string, unknown> | undefined;
  for (const key of Object.keys(value)) {
    const field: unknown = (value as Record<string, unknown>)[key];
    const redacted =
      SECRET_KEY_SET.has(key) || key === 'email' ? censor(key, field) : redactFields(field, depth + 1);
    if (redacted !== field) (changed ??= {})[key] = redacted;
  }
  if (!changed) return value;
  return isError ? errorWith(value, changed) : { ...value, ...changed };
}

/** a***@example.com */
export function maskEmail(email: string): string {
  const at = email.indexOf('@');
  if (at < 1) return '***';
  return `${email[0]}***${email.slice(at)}`;
}

/** True when the digits pass the Luhn check (credit card numbers do). */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

// A card number is one run of digits, or groups of at most six joined by single spaces or dashes
// (4-4-4-4, Amex's 4-6-5): a UUID's groups of 8 and 12 never join into one, where "any digits
// with separators" read one UUID in ~10,000 as a card (8006-123456789012 is Luhn-valid). Not inside
// a decimal number either (0.0012345678901234 is a duration), nor a log line's trace or span id:
// a random span id is all digits, and Luhn-valid, about once in 20,000.
const CARD_LIKE =
  /(?<![\w.])(?<!"(?:trace_id|span_id)":")(?:\d{13,19}|\d{1,6}(?:[ -]\d{1,6}){2,5})(?!\w|\.\d)/g;

/** The digits of a card-like match, when they are 13–19 and pass Luhn. */
function cardDigits(match: string): string | undefined {
  const digits = match.replace(/[ -]/g, '');
  return digits.length >= 13 && digits.length <= 19 && passesLuhn(digits) ? digits : undefined;
}

const EMAIL_LIKE = /\b([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*(@[A-Za-z0-9.-]+\.[A-Za-z]{2,})\b/g;

/** Masks card numbers (Luhn-valid 13–19 digit runs) and emails inside free text. */
export function scrubText(text: string): string {
  return text
    .replace(CARD_LIKE, (match) => (cardDigits(match) ? '[card]' : match))
    .replace(EMAIL_LIKE, '$1***$2');
}

/** The card-like numbers found in a text: a test helper for "no card ever leaks" scans. */
export function findCardNumbers(text: string): string[] {
  return [...text.matchAll(CARD_LIKE)].flatMap((m) => cardDigits(m[0]) ?? []);
}
