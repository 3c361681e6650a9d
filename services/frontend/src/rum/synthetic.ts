import { ROOT_CONTEXT, defaultTextMapGetter, propagation } from '@opentelemetry/api';
import { W3CBaggagePropagator } from '@opentelemetry/core';
import type { IncomingHttpHeaders } from 'node:http';
import { SYNTHETIC_BAGGAGE_KEY } from '@glasshouse/kit';

const baggagePropagator = new W3CBaggagePropagator();

/**
 * True when the request carries the load generator's synthetic_request=true baggage. Read from
 * the headers with our own propagator: the global one is a no-op while tracing is off.
 */
export function isSyntheticRequest(headers: IncomingHttpHeaders): boolean {
  if (headers.baggage === undefined) return false;
  const extracted = baggagePropagator.extract(ROOT_CONTEXT, headers, defaultTextMapGetter);
  return propagation.getBaggage(extracted)?.getEntry(SYNTHETIC_BAGGAGE_KEY)?.value === 'true';
}
