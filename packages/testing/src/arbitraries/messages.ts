import type { MessageTypeDefinition, PackageDefinition } from '@grpc/proto-loader';
import fc from 'fast-check';
import { HUGE_LENGTHS, hostileText } from './hostile-text.js';

/** A message type of proto-loader's package definition. */
export type Message = MessageTypeDefinition<object, object>;

/** The parts of a google.protobuf.FieldDescriptorProto (as proto-loader gives it) read here. */
interface FieldDescriptor {
  readonly name: string;
  readonly label: string;
  readonly type: string;
  readonly typeName: string;
}
interface MessageDescriptor {
  readonly name: string;
  readonly field: readonly FieldDescriptor[];
}
interface EnumDescriptor {
  readonly value: readonly { readonly number: number }[];
}

/** A request message as proto-loader serializes it: proto field names, 64-bit integers as text. */
export type ProtoObject = { [field: string]: unknown };

/**
 * Values that let a request get past the first check, by proto field name (product_id → the
 * catalog's ids), so properties reach the code behind validation too. Any field without one,
 * and every field some of the time, gets hostile values of its type.
 */
export type FieldHints = Readonly<Record<string, fc.Arbitrary<unknown>>>;

const INT32 = [0, 1, -1, 999_999_999, -999_999_999, 1_000_000_000, 2_147_483_647, -2_147_483_648];
const INT64 = [
  '0',
  '-1',
  '1',
  '9223372036854775807',
  '-9223372036854775808',
  '9007199254740993',
  '100000000000000000',
];

const hostileInt32 = () => fc.oneof(fc.constantFrom(...INT32), fc.integer());
const hostileUint32 = () => fc.oneof(fc.constantFrom(0, 1, 4_294_967_295), fc.nat());
const hostileInt64 = () =>
  fc.oneof(fc.constantFrom(...INT64), fc.bigInt(-(2n ** 63n), 2n ** 63n - 1n).map(String));
const hostileUint64 = () =>
  fc.oneof(fc.constantFrom('0', '1', '18446744073709551615'), fc.bigInt(0n, 2n ** 64n - 1n).map(String));

/** A message's descriptor and the package it is declared in, by full name (`hipstershop.Money`). */
function typeOf(definition: PackageDefinition, fullName: string): Message {
  const found = definition[fullName];
  if (!found || !('format' in found)) throw new Error(`no message or enum ${fullName} in the protos`);
  return found as Message;
}

/** Resolves a field's type name the way protoc does: innermost scope first. */
function resolve(definition: PackageDefinition, scope: string, typeName: string): string {
  if (typeName.startsWith('.')) return typeName.slice(1);
  const parts = scope.split('.');
  for (let i = parts.length; i >= 0; i--) {
    const candidate = [...parts.slice(0, i), typeName].join('.');
    if (definition[candidate]) return candidate;
  }
  throw new Error(`cannot resolve ${typeName} from ${scope}`);
}

/** The full name of the message a method takes, found by identity in the package definition. */
export function fullNameOf(definition: PackageDefinition, type: Message): string {
  const name = (type.type as MessageDescriptor).name;
  const exact = Object.entries(definition).find(([, value]) => value === type);
  if (exact) return exact[0];
  const same = JSON.stringify(type.type);
  const found = Object.entries(definition).find(
    ([key, value]) => key.endsWith(`.${name}`) && 'type' in value && JSON.stringify(value.type) === same,
  );
  if (!found) throw new Error(`no full name for message ${name}`);
  return found[0];
}

/** Every field name of a message and of the messages inside it, for "the reason names a field". */
export function fieldNamesOf(definition: PackageDefinition, fullName: string, depth = 0): string[] {
  if (depth > 4) return [];
  const descriptor = typeOf(definition, fullName).type as MessageDescriptor;
  const scope = fullName.split('.').slice(0, -1).join('.');
  return descriptor.field.flatMap((field) => [
    field.name,
    ...(field.type === 'TYPE_MESSAGE'
      ? fieldNamesOf(definition, resolve(definition, scope, field.typeName), depth + 1)
      : []),
  ]);
}

/** How hostile a generated message is. */
export interface MessageStyle {
  /**
   * Every field present and nearly every hinted field plausible, so that on average about one
   * field is wrong: the request passes the first checks and meets the code behind them. Without
   * it every field is as likely hostile as not, and most requests stop at the first check.
   */
  readonly plausible?: boolean;
}

interface Generation {
  readonly definition: PackageDefinition;
  readonly hints: FieldHints;
  readonly plausible: boolean;
  /** No huge repeated fields inside (set for the element of a huge one). */
  readonly small?: boolean;
}

/**
 * Messages of type `fullName` built from its descriptor: every field present or absent, scalar
 * values at and past the edges of their type, hostile text, short and huge repeated fields,
 * nested messages to a few levels. The result is structurally valid protobuf once serialized.
 */
export function messageArbitrary(
  definition: PackageDefinition,
  fullName: string,
  hints: FieldHints = {},
  style: MessageStyle = {},
): fc.Arbitrary<ProtoObject> {
  return messageOf({ definition, hints, plausible: style.plausible ?? false }, fullName, 0);
}

function messageOf(generation: Generation, fullName: string, depth: number): fc.Arbitrary<ProtoObject> {
  const descriptor = typeOf(generation.definition, fullName).type as MessageDescriptor;
  const scope = fullName.split('.').slice(0, -1).join('.');
  const shape: Record<string, fc.Arbitrary<unknown>> = {};
  for (const field of descriptor.field) {
    const repeated = field.label === 'LABEL_REPEATED';
    const single = fieldArbitrary(generation, scope, field, depth, repeated);
    const few = fc.array(single, { minLength: generation.plausible ? 1 : 0, maxLength: 4 });
    if (!repeated) shape[field.name] = single;
    else if (generation.small || depth > 1) shape[field.name] = few;
    else {
      // Huge repeated fields near the top: one small element many times (cheap to make, costly
      // to handle badly); its own repeated fields stay short, or the sizes would multiply.
      const element = fieldArbitrary({ ...generation, small: true }, scope, field, depth, repeated);
      const huge = fc
        .tuple(element, fc.constantFrom(300, 5_000))
        .map(([value, count]) => Array.from({ length: count }, () => value));
      shape[field.name] = fc.oneof(
        { weight: generation.plausible ? 30 : 6, arbitrary: few },
        { weight: 1, arbitrary: huge },
      );
    }
  }
  return fc.record(shape, generation.plausible ? {} : { requiredKeys: [] });
}

function fieldArbitrary(
  generation: Generation,
  scope: string,
  field: FieldDescriptor,
  depth: number,
  repeated: boolean,
): fc.Arbitrary<unknown> {
  const generic = genericArbitrary(generation, scope, field, depth, repeated);
  const hint = generation.hints[field.name];
  if (!hint) return generic;
  return fc.oneof(
    { weight: generation.plausible ? 12 : 3, arbitrary: hint },
    { weight: generation.plausible ? 1 : 2, arbitrary: generic },
  );
}

function genericArbitrary(
  generation: Generation,
  scope: string,
  field: FieldDescriptor,
  depth: number,
  repeated: boolean,
): fc.Arbitrary<unknown> {
  const { definition, plausible } = generation;
  // A field no hint knows is still mostly ordinary in a plausible message.
  const ordinary = <T>(usual: fc.Arbitrary<T>, hostile: fc.Arbitrary<T>): fc.Arbitrary<T> =>
    plausible ? fc.oneof({ weight: 6, arbitrary: usual }, { weight: 1, arbitrary: hostile }) : hostile;
  switch (field.type) {
    case 'TYPE_STRING':
      return ordinary(
        fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 20 }),
        hostileText(generation.small ? [257] : HUGE_LENGTHS),
      );
    case 'TYPE_BYTES':
      return fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes));
    case 'TYPE_BOOL':
      return fc.boolean();
    case 'TYPE_INT32':
    case 'TYPE_SINT32':
    case 'TYPE_SFIXED32':
      return ordinary(fc.integer({ min: 0, max: 100 }), hostileInt32());
    case 'TYPE_UINT32':
    case 'TYPE_FIXED32':
      return ordinary(fc.integer({ min: 0, max: 100 }), hostileUint32());
    case 'TYPE_INT64':
    case 'TYPE_SINT64':
    case 'TYPE_SFIXED64':
      return ordinary(fc.integer({ min: 0, max: 100 }).map(String), hostileInt64());
    case 'TYPE_UINT64':
    case 'TYPE_FIXED64':
      return ordinary(fc.integer({ min: 0, max: 100 }).map(String), hostileUint64());
    case 'TYPE_DOUBLE':
    case 'TYPE_FLOAT':
      return fc.oneof(fc.double(), fc.constantFrom(Number.NaN, Infinity, -Infinity, -0));
    case 'TYPE_ENUM': {
      const values = (typeOf(definition, resolve(definition, scope, field.typeName)).type as EnumDescriptor)
        .value;
      const known = fc.constantFrom(...values.map((v) => v.number));
      // proto3 enums are open: an unknown number decodes, and a service must refuse it itself.
      return ordinary(known, fc.oneof(known, fc.constantFrom(-1, 99, 2_147_483_647)));
    }
    case 'TYPE_MESSAGE': {
      const nested = messageOf(generation, resolve(definition, scope, field.typeName), depth + 1);
      // An element of a repeated field is always there; a single message field may be absent.
      if (repeated || (plausible && depth < 4)) return nested;
      if (depth >= 4) return fc.constant(undefined);
      return fc.option(nested, { nil: undefined, freq: 6 });
    }
    default:
      throw new Error(`no arbitrary for ${field.type} (field ${field.name})`);
  }
}
