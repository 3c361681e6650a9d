/**
 * Reads an OTLP ExportTraceServiceRequest in protobuf (what the kit exports by default) into the
 * shape OTLP/JSON gives it: hex ids, nanosecond times as strings, attributes as
 * `{ key, value: { stringValue | intValue | doubleValue | boolValue | arrayValue | kvlistValue } }`.
 * Only what a test receiver needs: unknown fields are skipped.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const VARINT = 0;
const FIXED64 = 1;
const BYTES = 2;
const FIXED32 = 5;

class Reader {
  private pos = 0;

  constructor(private readonly bytes: Buffer) {}

  get done(): boolean {
    return this.pos >= this.bytes.length;
  }

  varint(): bigint {
    let result = 0n;
    for (let shift = 0n; ; shift += 7n) {
      const byte = this.bytes[this.pos++];
      if (byte === undefined) throw new Error('truncated varint');
      result |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return result;
    }
  }

  tag(): { field: number; wire: number } {
    const tag = Number(this.varint());
    return { field: tag >>> 3, wire: tag & 7 };
  }

  fixed64(): bigint {
    const value = this.bytes.readBigUInt64LE(this.pos);
    this.pos += 8;
    return value;
  }

  double(): number {
    const value = this.bytes.readDoubleLE(this.pos);
    this.pos += 8;
    return value;
  }

  fixed32(): number {
    const value = this.bytes.readUInt32LE(this.pos);
    this.pos += 4;
    return value;
  }

  bytesField(): Buffer {
    const length = Number(this.varint());
    const value = this.bytes.subarray(this.pos, this.pos + length);
    if (value.length !== length) throw new Error('truncated length-delimited field');
    this.pos += length;
    return value;
  }

  skip(wire: number): void {
    if (wire === VARINT) this.varint();
    else if (wire === FIXED64) this.pos += 8;
    else if (wire === BYTES) this.bytesField();
    else if (wire === FIXED32) this.pos += 4;
    else throw new Error(`unsupported wire type ${wire}`);
  }
}

/** Calls `read(field, wire, reader)` for every field of a message; it returns false to skip one. */
function fields(bytes: Buffer, read: (field: number, wire: number, reader: Reader) => boolean): void {
  const reader = new Reader(bytes);
  while (!reader.done) {
    const { field, wire } = reader.tag();
    if (!read(field, wire, reader)) reader.skip(wire);
  }
}

const signed64 = (value: bigint): bigint => BigInt.asIntN(64, value);
const intJson = (value: bigint): number | string =>
  value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(value)
    : value.toString();

function anyValue(bytes: Buffer): JsonObject {
  const value: JsonObject = {};
  fields(bytes, (field, wire, r) => {
    if (field === 1 && wire === BYTES) value.stringValue = r.bytesField().toString('utf8');
    else if (field === 2 && wire === VARINT) value.boolValue = r.varint() !== 0n;
    else if (field === 3 && wire === VARINT) value.intValue = intJson(signed64(r.varint()));
    else if (field === 4 && wire === FIXED64) value.doubleValue = r.double();
    else if (field === 5 && wire === BYTES)
      value.arrayValue = { values: repeated(r.bytesField(), 1, anyValue) };
    else if (field === 6 && wire === BYTES)
      value.kvlistValue = { values: repeated(r.bytesField(), 1, keyValue) };
    else if (field === 7 && wire === BYTES) value.bytesValue = r.bytesField().toString('base64');
    else return false;
    return true;
  });
  return value;
}

function keyValue(bytes: Buffer): JsonObject {
  const pair: JsonObject = { key: '', value: {} };
  fields(bytes, (field, wire, r) => {
    if (field === 1 && wire === BYTES) pair.key = r.bytesField().toString('utf8');
    else if (field === 2 && wire === BYTES) pair.value = anyValue(r.bytesField());
    else return false;
    return true;
  });
  return pair;
}

/** Every occurrence of one length-delimited field, each read with `read`. */
function repeated(bytes: Buffer, wanted: number, read: (bytes: Buffer) => JsonObject): JsonObject[] {
  const out: JsonObject[] = [];
  fields(bytes, (field, wire, r) => {
    if (field !== wanted || wire !== BYTES) return false;
    out.push(read(r.bytesField()));
    return true;
  });
  return out;
}

/** Reads the fields of a message into `target`: strings, hex ids, attributes and nested messages. */
function message(
  bytes: Buffer,
  layout: Readonly<Record<number, readonly [string, 'string' | 'hex' | 'varint' | 'nanos' | 'fixed32']>>,
  nested: Readonly<Record<number, readonly [string, (bytes: Buffer) => JsonObject, 'one' | 'many']>> = {},
): JsonObject {
  const target: JsonObject = {};
  fields(bytes, (field, wire, r) => {
    const child = nested[field];
    if (child && wire === BYTES) {
      const [name, read, count] = child;
      const value = read(r.bytesField());
      if (count === 'one') target[name] = value;
      else target[name] = [...((target[name] as Json[] | undefined) ?? []), value];
      return true;
    }
    const plain = layout[field];
    if (!plain) return false;
    const [name, type] = plain;
    if (type === 'string' && wire === BYTES) target[name] = r.bytesField().toString('utf8');
    else if (type === 'hex' && wire === BYTES) target[name] = r.bytesField().toString('hex');
    else if (type === 'varint' && wire === VARINT) target[name] = intJson(r.varint());
    else if (type === 'nanos' && wire === FIXED64) target[name] = r.fixed64().toString();
    else if (type === 'fixed32' && wire === FIXED32) target[name] = r.fixed32();
    else return false;
    return true;
  });
  return target;
}

const ATTRIBUTES = ['attributes', (bytes: Buffer): JsonObject => keyValue(bytes), 'many'] as const;

const status = (bytes: Buffer): JsonObject =>
  message(bytes, { 2: ['message', 'string'], 3: ['code', 'varint'] });

const event = (bytes: Buffer): JsonObject =>
  message(bytes, { 1: ['timeUnixNano', 'nanos'], 2: ['name', 'string'] }, { 3: ATTRIBUTES });

const link = (bytes: Buffer): JsonObject =>
  message(
    bytes,
    { 1: ['traceId', 'hex'], 2: ['spanId', 'hex'], 3: ['traceState', 'string'], 6: ['flags', 'fixed32'] },
    { 4: ATTRIBUTES },
  );

const span = (bytes: Buffer): JsonObject =>
  message(
    bytes,
    {
      1: ['traceId', 'hex'],
      2: ['spanId', 'hex'],
      3: ['traceState', 'string'],
      4: ['parentSpanId', 'hex'],
      5: ['name', 'string'],
      6: ['kind', 'varint'],
      7: ['startTimeUnixNano', 'nanos'],
      8: ['endTimeUnixNano', 'nanos'],
      16: ['flags', 'fixed32'],
    },
    {
      9: ATTRIBUTES,
      11: ['events', event, 'many'],
      13: ['links', link, 'many'],
      15: ['status', status, 'one'],
    },
  );

const scope = (bytes: Buffer): JsonObject =>
  message(bytes, { 1: ['name', 'string'], 2: ['version', 'string'] }, { 3: ATTRIBUTES });

const scopeSpans = (bytes: Buffer): JsonObject =>
  message(bytes, { 3: ['schemaUrl', 'string'] }, { 1: ['scope', scope, 'one'], 2: ['spans', span, 'many'] });

const resource = (bytes: Buffer): JsonObject => message(bytes, {}, { 1: ATTRIBUTES });

const resourceSpans = (bytes: Buffer): JsonObject =>
  message(
    bytes,
    { 3: ['schemaUrl', 'string'] },
    { 1: ['resource', resource, 'one'], 2: ['scopeSpans', scopeSpans, 'many'] },
  );

/** An ExportTraceServiceRequest in protobuf, as the OTLP/JSON object it stands for. */
export function decodeTraceRequest(bytes: Buffer): JsonObject {
  return { resourceSpans: repeated(bytes, 1, resourceSpans) };
}
