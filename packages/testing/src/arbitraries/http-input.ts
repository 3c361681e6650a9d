import fc from 'fast-check';
import { hostileText } from './hostile-text.js';

/** A field of a form: a value the route accepts, and the words a refusal may name it by. */
export interface FormField {
  readonly valid: string;
  /** `zip_code` → ['zip_code', 'zip code']: what a 400 message must contain when this field is wrong. */
  readonly names: readonly string[];
  /** A form without it is still valid (the route supplies a default). */
  readonly optional?: boolean;
}

export type FormFields = Readonly<Record<string, FormField>>;

/** One request body: its content type, the bytes, and which field (if any) was made wrong. */
export interface GeneratedBody {
  readonly contentType: string | undefined;
  readonly payload: string | Buffer;
  /** The field the generator broke, when it broke exactly one in an otherwise valid form. */
  readonly broken?: string;
  /** How it was broken, for the case counts. */
  readonly how: string;
}

const JSON_NOT_TEXT = [0, -1, 1.5, true, false, null, [], ['EUR'], {}, { value: 'x' }] as const;

/** The form with one field missing, repeated, not text (JSON), or hostile text; urlencoded or JSON. */
export function oneFieldBroken(fields: FormFields): fc.Arbitrary<GeneratedBody> {
  const names = Object.keys(fields);
  if (names.length === 0) return wholeBodyGarbage();
  const valid = Object.fromEntries(names.map((name) => [name, fields[name]?.valid ?? '']));
  return fc
    .tuple(
      fc.constantFrom(...names),
      fc.constantFrom('missing', 'repeated', 'not text', 'hostile text'),
      fc.boolean(),
      hostileText(),
      fc.constantFrom(...JSON_NOT_TEXT),
    )
    .map(([field, how, asJson, text, notText]): GeneratedBody => {
      const rest = Object.entries(valid).filter(([name]) => name !== field);
      if (how === 'not text')
        return {
          contentType: 'application/json',
          payload: JSON.stringify({ ...Object.fromEntries(rest), [field]: notText }),
          broken: field,
          how,
        };
      const pairs: [string, string][] =
        how === 'missing'
          ? rest
          : how === 'repeated'
            ? [...rest, [field, valid[field] ?? ''], [field, text]]
            : [...rest, [field, text]];
      if (asJson && how !== 'repeated') {
        return {
          contentType: 'application/json',
          payload: JSON.stringify(Object.fromEntries(pairs)),
          broken: field,
          how: `${how} (json)`,
        };
      }
      return {
        contentType: 'application/x-www-form-urlencoded',
        payload: new URLSearchParams(pairs).toString(),
        broken: field,
        how,
      };
    });
}

/** Bodies that are not the form at all: other content types, bad JSON, bad encoding, too large. */
export function wholeBodyGarbage(): fc.Arbitrary<GeneratedBody> {
  const json = 'application/json';
  const form = 'application/x-www-form-urlencoded';
  return fc.oneof(
    fc.constantFrom<GeneratedBody>(
      { contentType: json, payload: '[1,2]', how: 'json array' },
      { contentType: json, payload: '"text"', how: 'json scalar' },
      { contentType: json, payload: 'null', how: 'json null' },
      { contentType: json, payload: '{"a":', how: 'bad json' },
      {
        contentType: json,
        payload: '{"__proto__":{"x":1},"constructor":{"prototype":{}}}',
        how: 'json proto',
      },
      { contentType: form, payload: 'a=%ZZ&b=%', how: 'bad percent-encoding' },
      {
        contentType: form,
        payload: Buffer.from([0x61, 0x3d, 0xff, 0xfe, 0xed, 0xa0, 0x80]),
        how: 'invalid utf-8',
      },
      { contentType: form, payload: 'x'.repeat(70_000), how: 'too large' },
      { contentType: 'text/plain', payload: 'product_id=x', how: 'text/plain' },
      { contentType: 'multipart/form-data; boundary=x', payload: '--x\r\n\r\n--x--', how: 'multipart' },
      { contentType: 'application/xml', payload: '<a/>', how: 'xml' },
      { contentType: undefined, payload: 'product_id=x', how: 'no content type' },
      { contentType: 'application/json; charset=utf-16', payload: '{}', how: 'json utf-16' },
    ),
    fc.uint8Array({ maxLength: 200 }).chain((bytes) =>
      fc.constantFrom(json, form).map((contentType): GeneratedBody => ({
        contentType,
        payload: Buffer.from(bytes),
        how: 'random bytes',
      })),
    ),
  );
}

/** A query string of hostile, repeated and odd parameters. */
export function hostileQuery(): fc.Arbitrary<string> {
  return fc
    .array(
      fc.tuple(
        fc.constantFrom(
          // The names the shop's routes read (next, customer, action, order_id, refunded), and odd ones.
          'next',
          'customer',
          'action',
          'order_id',
          'refunded',
          'q',
          'id',
          'a[b]',
          '__proto__',
          '',
        ),
        hostileText([300]),
      ),
      {
        maxLength: 4,
      },
    )
    .map((pairs) => new URLSearchParams(pairs).toString());
}
