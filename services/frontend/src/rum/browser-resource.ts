import type { EnvReader } from '@glasshouse/kit';
import { SYNTHETIC_ATTRIBUTE } from '@glasshouse/kit';
import type { OtlpKeyValue } from './payloads.js';
import { BROWSER_SERVICE_NAME } from './payloads.js';

/** What the web SDK puts in its resource; anything else a page claims about itself is refused. */
const BROWSER_SDK_KEYS = new Set(['telemetry.sdk.language', 'telemetry.sdk.name', 'telemetry.sdk.version']);
const SERVICE_NAME = 'service.name';
const SERVICE_NAMESPACE = 'service.namespace';

/** Why a batch's resource is not the shop's browser bundle, or undefined when it is. */
export function foreignResourceReason(attributes: readonly OtlpKeyValue[]): string | undefined {
  const name = attributes.find((a) => a.key === SERVICE_NAME)?.value.stringValue;
  if (name !== BROWSER_SERVICE_NAME)
    return `spans must come from ${BROWSER_SERVICE_NAME}, not ${name ?? 'no service'}`;
  const unknown = attributes.find(
    (a) => a.key !== SERVICE_NAME && a.key !== SERVICE_NAMESPACE && !BROWSER_SDK_KEYS.has(a.key),
  );
  if (unknown) return `unknown resource attribute ${unknown.key}`;
  if (new Set(attributes.map((a) => a.key)).size !== attributes.length) return 'repeated resource attribute';
  return undefined;
}

/**
 * The resource browser spans are exported under: the shop's resource attributes for the
 * `frontend-web` service (no instance id: every page is one), plus the web SDK's own.
 */
export function browserResource(
  env: EnvReader,
): (claimed: readonly OtlpKeyValue[]) => { attributes: OtlpKeyValue[] } {
  const ours = {
    [SERVICE_NAME]: BROWSER_SERVICE_NAME,
    [SERVICE_NAMESPACE]: 'glasshouse',
    'service.version': env.string('SERVICE_VERSION', '0.1.0'),
    'deployment.environment.name': env.string('DEPLOYMENT_ENVIRONMENT', 'local'),
  };
  const base = Object.entries(ours).map(([key, value]) => ({ key, value: { stringValue: value } }));
  return (claimed) => ({ attributes: [...base, ...claimed.filter((a) => BROWSER_SDK_KEYS.has(a.key))] });
}

/** Marks a span as the load generator's, whatever the page claimed. */
export function markSynthetic(span: { attributes?: OtlpKeyValue[] }): void {
  span.attributes = [
    ...(span.attributes ?? []).filter((a) => a.key !== SYNTHETIC_ATTRIBUTE),
    { key: SYNTHETIC_ATTRIBUTE, value: { boolValue: true } },
  ];
}
