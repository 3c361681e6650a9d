/**
 * A tagged template for HTML: every interpolated value is escaped unless it is SafeHtml, so
 * markup built with `html` can only contain the tags its author wrote.
 */

/** Markup that is trusted as-is. The private field makes the type nominal: a plain string won't do. */
export class SafeHtml {
  readonly #markup: string;

  constructor(markup: string) {
    this.#markup = markup;
  }

  toString(): string {
    return this.#markup;
  }
}

/** What may be interpolated; `false`, `null` and `undefined` render as nothing, so `cond && fragment` works. */
export type Interpolation = SafeHtml | string | number | false | null | undefined | readonly Interpolation[];

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const SPECIAL = /[&<>"']/;
const SPECIALS = /[&<>"']/g;

/** Escapes text for use in element content and double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  // Most interpolated text has nothing to escape; a test is cheaper than an allocating replace.
  return SPECIAL.test(text) ? text.replace(SPECIALS, (c) => ENTITIES[c] ?? c) : text;
}

/** Marks a string as trusted markup. Only for strings that never contain user or service data. */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/** Builds markup, escaping every interpolated value that is not SafeHtml. */
export function html(strings: TemplateStringsArray, ...values: readonly Interpolation[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) {
    out += render(values[i]) + (strings[i + 1] ?? '');
  }
  return new SafeHtml(out);
}

function render(value: Interpolation): string {
  if (value instanceof SafeHtml) return value.toString();
  if (value === undefined || value === null || value === false) return '';
  if (typeof value === 'string') return escapeHtml(value);
  if (typeof value === 'number') return String(value);
  let out = '';
  for (const item of value) out += render(item);
  return out;
}

/**
 * Returns the URL when it is site-relative or http(s), otherwise `#`. Escaping alone would let a
 * `javascript:` link from an ad or a product record through.
 */
export function safeUrl(url: string): string {
  return /^(?:\/(?![/\\])|https?:\/\/)/i.test(url) ? url : '#';
}
