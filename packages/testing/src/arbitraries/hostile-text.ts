import fc from 'fast-check';

/** Characters that have broken shops before: NUL (PostgreSQL refuses it), lone surrogates, controls. */
const NASTY_CHARACTERS = ['\u0000', '\ud800', '\udfff', '\u0007', '\u202e', '\ufeff', '\ufffd', '\u{1f600}'];

/** Text whose length alone is the attack: past form limits, past the gRPC 1 MiB request limit. */
export const HUGE_LENGTHS = [257, 4_097, 70_000, 300_000] as const;

/** A string with one of the nasty characters somewhere inside ordinary text. */
export const withNastyCharacter = (): fc.Arbitrary<string> =>
  fc
    .tuple(fc.string({ maxLength: 12 }), fc.constantFrom(...NASTY_CHARACTERS), fc.string({ maxLength: 12 }))
    .map(([before, nasty, after]) => `${before}${nasty}${after}`);

/** A long run of one character, or of a short pattern. */
export const hugeText = (lengths: readonly number[] = HUGE_LENGTHS): fc.Arbitrary<string> =>
  fc
    .tuple(fc.constantFrom(...lengths), fc.constantFrom('a', '9', 'é', '\u0000', 'OLJCESPC7Z', '%'))
    .map(([length, unit]) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length));

/**
 * Text a careless or hostile client sends: empty, blank, NUL and lone surrogates, full Unicode,
 * injection-looking, and (less often) huge.
 */
export const hostileText = (lengths: readonly number[] = HUGE_LENGTHS): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom('', ' ', '\t\n', '0', '-1', 'null', 'undefined', '[]', '{}') },
    { weight: 3, arbitrary: withNastyCharacter() },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        "' OR 1=1 --",
        '<script>alert(1)</script>',
        '../../etc/passwd',
        '%00',
        '%ZZ',
        '${jndi:ldap://x}',
        'NaN',
        'Infinity',
        '1e309',
        '0x10',
        ' 12 ',
      ),
    },
    { weight: 1, arbitrary: hugeText(lengths) },
  );

/**
 * What can reach a server in a header (a cookie): printable ASCII and Latin-1 bytes, no
 * controls (HTTP forbids them, and Node's client refuses to send them).
 */
export const hostileHeaderText = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.string({
      unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
      maxLength: 40,
    }),
    fc.string({
      unit: fc.integer({ min: 0x80, max: 0xff }).map((c) => String.fromCharCode(c)),
      maxLength: 20,
    }),
    fc.constantFrom('', 'a;b=c', '"quoted"', '%00', '%ud800', '../', 'x'.repeat(8000)),
  );
