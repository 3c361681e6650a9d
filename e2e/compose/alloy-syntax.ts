/**
 * A reader for the part of Alloy's configuration syntax the stack uses: blocks with optional
 * labels, attributes, and expressions made of literals, lists, objects, function calls and
 * references to other components' exports. No Alloy binary exists here; this is enough for
 * the wiring test to follow every `forward_to` and `targets`.
 */

export type AlloyValue =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'reference'; readonly path: string }
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly AlloyValue[] }
  | { readonly kind: 'list'; readonly items: readonly AlloyValue[] }
  | { readonly kind: 'object'; readonly fields: ReadonlyMap<string, AlloyValue> };

export interface AlloyBlock {
  /** `loki.write`, `stage.json`, `rule`. */
  readonly name: string;
  readonly label?: string;
  readonly attributes: ReadonlyMap<string, AlloyValue>;
  readonly blocks: readonly AlloyBlock[];
}

type Token =
  | { readonly type: 'ident'; readonly text: string; readonly at: number }
  | { readonly type: 'string'; readonly text: string; readonly at: number }
  | { readonly type: 'number'; readonly text: string; readonly at: number }
  | { readonly type: 'punct'; readonly text: string; readonly at: number };

const PATTERNS: readonly (readonly [RegExp, Token['type'] | 'skip'])[] = [
  [/\s+/y, 'skip'],
  [/\/\/[^\n]*/y, 'skip'],
  [/\/\*[\s\S]*?\*\//y, 'skip'],
  [/"(?:[^"\\\n]|\\.)*"/y, 'string'],
  [/-?\d+(?:\.\d+)?/y, 'number'],
  [/[A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*/y, 'ident'],
  [/[{}[\](),=]/y, 'punct'],
];

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < source.length) {
    const match = PATTERNS.map(([pattern, type]) => {
      pattern.lastIndex = at;
      const found = pattern.exec(source);
      return found ? { type, text: found[0] } : undefined;
    }).find((candidate) => candidate !== undefined);
    if (!match) throw new SyntaxError(`alloy: unexpected ${JSON.stringify(source[at])} at offset ${at}`);
    if (match.type !== 'skip') tokens.push({ type: match.type, text: match.text, at });
    at += match.text.length;
  }
  return tokens;
}

/** Parses a whole file: its top-level blocks (components). Throws SyntaxError with an offset. */
export function parseAlloy(source: string): AlloyBlock[] {
  const tokens = tokenize(source);
  let next = 0;
  const peek = (offset = 0): Token | undefined => tokens[next + offset];
  const fail = (what: string): never => {
    const token = peek();
    throw new SyntaxError(
      `alloy: expected ${what} at ${token ? `offset ${token.at} ("${token.text}")` : 'end'}`,
    );
  };
  const take = (type: Token['type'], text?: string): Token => {
    const token = peek();
    if (!token || token.type !== type || (text !== undefined && token.text !== text)) {
      return fail(text ?? type);
    }
    next += 1;
    return token;
  };
  const isPunct = (text: string, offset = 0): boolean => {
    const token = peek(offset);
    return token?.type === 'punct' && token.text === text;
  };
  const unquote = (text: string): string => JSON.parse(text) as string;

  const separated = <T>(close: string, item: () => T): T[] => {
    const items: T[] = [];
    while (!isPunct(close)) {
      items.push(item());
      if (!isPunct(close)) take('punct', ',');
    }
    take('punct', close);
    return items;
  };

  const expression = (): AlloyValue => {
    const token = peek() ?? fail('a value');
    if (token.type === 'string') return { kind: 'string', value: unquote(take('string').text) };
    if (token.type === 'number') return { kind: 'number', value: Number(take('number').text) };
    if (token.type === 'punct' && token.text === '[') {
      take('punct', '[');
      return { kind: 'list', items: separated(']', expression) };
    }
    if (token.type === 'punct' && token.text === '{') {
      take('punct', '{');
      const fields = separated('}', () => {
        const key = peek()?.type === 'string' ? unquote(take('string').text) : take('ident').text;
        take('punct', '=');
        return [key, expression()] as const;
      });
      return { kind: 'object', fields: new Map(fields) };
    }
    const name = take('ident').text;
    if (name === 'true' || name === 'false') return { kind: 'bool', value: name === 'true' };
    if (isPunct('(')) {
      take('punct', '(');
      return { kind: 'call', name, args: separated(')', expression) };
    }
    return { kind: 'reference', path: name };
  };

  const body = (close?: string): AlloyBlock[] & { attributes?: Map<string, AlloyValue> } => {
    const blocks: AlloyBlock[] = [];
    const attributes = new Map<string, AlloyValue>();
    while (close ? !isPunct(close) : peek() !== undefined) {
      const name = take('ident').text;
      if (isPunct('=')) {
        take('punct', '=');
        if (attributes.has(name)) fail(`one ${name} attribute`);
        attributes.set(name, expression());
        continue;
      }
      const label = peek()?.type === 'string' ? unquote(take('string').text) : undefined;
      take('punct', '{');
      const inner = body('}');
      blocks.push({
        name,
        ...(label !== undefined && { label }),
        attributes: inner.attributes ?? new Map(),
        blocks: [...inner],
      });
    }
    if (close) take('punct', close);
    return Object.assign(blocks, { attributes });
  };

  const top = body();
  if (top.attributes && top.attributes.size > 0)
    fail('a component block, not an attribute, at the top level');
  return [...top];
}

/** Every reference inside a value (`loki.write.loki.receiver`), depth first. */
export function referencesIn(value: AlloyValue): string[] {
  switch (value.kind) {
    case 'reference':
      return [value.path];
    case 'call':
      return value.args.flatMap(referencesIn);
    case 'list':
      return value.items.flatMap(referencesIn);
    case 'object':
      return [...value.fields.values()].flatMap(referencesIn);
    default:
      return [];
  }
}

/** Every attribute of a block and its nested blocks, as [path, value] with `stage.json.expressions` paths. */
export function attributesOf(block: AlloyBlock, prefix = ''): [string, AlloyValue][] {
  const here = `${prefix}${block.name}`;
  return [
    ...[...block.attributes].map(([key, value]): [string, AlloyValue] => [`${here}.${key}`, value]),
    ...block.blocks.flatMap((inner) => attributesOf(inner, `${here}/`)),
  ];
}
