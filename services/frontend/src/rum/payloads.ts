/**
 * What the browser bundle sends, as JSON Schemas checked strictly (no unknown field, bounded
 * sizes): OTLP/JSON trace requests as the OpenTelemetry JS exporter writes them, and Web Vitals
 * readings. Anything else is refused with a 400.
 */

/** The service.name the browser's spans must claim; any other is a foreign payload. */
export const BROWSER_SERVICE_NAME = 'frontend-web';

const TEXT = { type: 'string', maxLength: 2048 } as const;
const COUNT = { type: 'integer', minimum: 0, maximum: 100_000 } as const;
/** Nanoseconds since the epoch: the JS exporter writes a decimal string, others a number. */
const NANOS = {
  anyOf: [
    { type: 'string', pattern: '^[0-9]{1,20}$' },
    { type: 'integer', minimum: 0 },
  ],
};
const HEX_ID = (bytes: number) => ({ type: 'string', pattern: `^[0-9a-f]{${bytes * 2}}$` });

const SCALAR_VALUE = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  maxProperties: 1,
  properties: {
    stringValue: TEXT,
    boolValue: { type: 'boolean' },
    intValue: { anyOf: [{ type: 'integer' }, { type: 'string', pattern: '^-?[0-9]{1,20}$' }] },
    doubleValue: { type: 'number' },
  },
};
const ANY_VALUE = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  maxProperties: 1,
  properties: {
    ...SCALAR_VALUE.properties,
    arrayValue: {
      type: 'object',
      additionalProperties: false,
      properties: { values: { type: 'array', maxItems: 32, items: SCALAR_VALUE } },
    },
  },
};
const ATTRIBUTES = {
  type: 'array',
  maxItems: 64,
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['key', 'value'],
    properties: { key: { type: 'string', minLength: 1, maxLength: 128 }, value: ANY_VALUE },
  },
};

const EVENT = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'timeUnixNano'],
  properties: {
    name: { type: 'string', maxLength: 128 },
    timeUnixNano: NANOS,
    attributes: ATTRIBUTES,
    droppedAttributesCount: COUNT,
  },
};

const LINK = {
  type: 'object',
  additionalProperties: false,
  required: ['traceId', 'spanId'],
  properties: {
    traceId: HEX_ID(16),
    spanId: HEX_ID(8),
    traceState: { type: 'string', maxLength: 512 },
    attributes: ATTRIBUTES,
    droppedAttributesCount: COUNT,
    flags: COUNT,
  },
};

const SPAN = {
  type: 'object',
  additionalProperties: false,
  required: ['traceId', 'spanId', 'name', 'kind', 'startTimeUnixNano', 'endTimeUnixNano'],
  properties: {
    traceId: HEX_ID(16),
    spanId: HEX_ID(8),
    parentSpanId: { anyOf: [HEX_ID(8), { const: '' }] },
    traceState: { type: 'string', maxLength: 512 },
    name: { type: 'string', minLength: 1, maxLength: 256 },
    kind: { type: 'integer', minimum: 0, maximum: 5 },
    startTimeUnixNano: NANOS,
    endTimeUnixNano: NANOS,
    attributes: ATTRIBUTES,
    droppedAttributesCount: COUNT,
    events: { type: 'array', maxItems: 64, items: EVENT },
    droppedEventsCount: COUNT,
    links: { type: 'array', maxItems: 8, items: LINK },
    droppedLinksCount: COUNT,
    status: {
      type: 'object',
      additionalProperties: false,
      properties: { code: { type: 'integer', minimum: 0, maximum: 2 }, message: TEXT },
    },
    flags: COUNT,
  },
};

const SCOPE_SPANS = {
  type: 'object',
  additionalProperties: false,
  required: ['spans'],
  properties: {
    scope: {
      type: 'object',
      additionalProperties: false,
      properties: {
        name: { type: 'string', maxLength: 256 },
        version: { type: 'string', maxLength: 64 },
        attributes: ATTRIBUTES,
        droppedAttributesCount: COUNT,
      },
    },
    spans: { type: 'array', minItems: 1, maxItems: 200, items: SPAN },
    schemaUrl: { type: 'string', maxLength: 256 },
  },
};

/** An OTLP/JSON ExportTraceServiceRequest of one resource: a page sends its own spans only. */
export const TRACES_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['resourceSpans'],
  properties: {
    resourceSpans: {
      type: 'array',
      minItems: 1,
      maxItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['resource', 'scopeSpans'],
        properties: {
          resource: {
            type: 'object',
            additionalProperties: false,
            required: ['attributes'],
            properties: { attributes: ATTRIBUTES, droppedAttributesCount: COUNT },
          },
          scopeSpans: { type: 'array', minItems: 1, maxItems: 16, items: SCOPE_SPANS },
          schemaUrl: { type: 'string', maxLength: 256 },
        },
      },
    },
  },
} as const;

/** The Web Vitals web-vitals reports, by its names. */
export const VITAL_NAMES = ['LCP', 'INP', 'CLS', 'TTFB'] as const;
export type VitalName = (typeof VITAL_NAMES)[number];

/** `{ page: location.pathname, vitals: [{ name, value }] }`; times in milliseconds, CLS unitless. */
export const VITALS_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['page', 'vitals'],
  properties: {
    page: { type: 'string', minLength: 1, maxLength: 512, pattern: '^/' },
    vitals: {
      type: 'array',
      minItems: 1,
      maxItems: 16,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'value'],
        // An hour is more than any page takes; beyond it the reading is not a measurement.
        properties: {
          name: { enum: VITAL_NAMES },
          value: { type: 'number', minimum: 0, maximum: 3_600_000 },
        },
      },
    },
  },
} as const;

export interface OtlpKeyValue {
  key: string;
  value: { stringValue?: string; boolValue?: boolean; intValue?: number | string; doubleValue?: number };
}
export interface BrowserTraces {
  resourceSpans: [
    {
      resource: { attributes?: OtlpKeyValue[]; droppedAttributesCount?: number };
      scopeSpans: { spans: { attributes?: OtlpKeyValue[] }[] }[];
      schemaUrl?: string;
    },
  ];
}
export interface BrowserVitals {
  page: string;
  vitals: { name: VitalName; value: number }[];
}
