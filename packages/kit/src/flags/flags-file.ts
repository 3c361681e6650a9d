/**
 * The flags file in flagd's format: one object flag per scenario with the variants `off` ({})
 * and `on` (its parameters); `defaultVariant` says which one is in force. The control edits it
 * through these functions only, so every write is a valid file.
 */
import type { ScenarioName } from './scenarios.js';
import { SCENARIO_NAMES, isScenarioName, scenarioSpec } from './scenarios.js';

export const FLAGD_SCHEMA = 'https://flagd.dev/schema/v0/flags.json';

/** Parameter values: numbers for rates and delays, text for targets. */
export type ScenarioValues = Readonly<Record<string, number | string>>;

/** A scenario's state: on or off, and the parameters it runs (or would run) with. */
export interface ScenarioSetting {
  readonly on: boolean;
  readonly values: ScenarioValues;
  /** Switched on for a game day: the services neither count nor log the flag, only its symptoms show. */
  readonly hidden?: boolean;
}

interface FlagdFlag {
  state: 'ENABLED' | 'DISABLED';
  variants: { off: Record<string, never>; on: Record<string, number | string> };
  defaultVariant: 'off' | 'on';
  metadata?: Record<string, string | boolean>;
}

export interface FlagsDocument {
  $schema: string;
  flags: Record<string, FlagdFlag>;
}

/** A value the control refuses: unknown scenario, out-of-range parameter, unreadable file. */
export class FlagInputError extends Error {
  override readonly name = 'FlagInputError';
}

/** The values a scenario runs with when none are given. */
export function defaultValues(scenario: ScenarioName): ScenarioValues {
  const spec = scenarioSpec(scenario);
  const values: Record<string, number | string> = {};
  for (const [name, parameter] of Object.entries(spec.parameters)) values[name] = parameter.fallback;
  for (const [name, target] of Object.entries(spec.targets ?? {})) values[name] = target.fallback;
  return values;
}

/** Checks values given for a scenario against its parameters; throws FlagInputError naming the problem. */
export function checkValues(scenario: ScenarioName, given: ScenarioValues): ScenarioValues {
  const spec = scenarioSpec(scenario);
  const values: Record<string, number | string> = { ...defaultValues(scenario) };
  for (const [name, value] of Object.entries(given)) {
    const parameter = spec.parameters[name];
    const target = spec.targets?.[name];
    if (parameter) {
      const number = typeof value === 'number' ? value : Number(value);
      if (typeof value === 'string' && value.trim() === '') {
        throw new FlagInputError(`${scenario}: ${name} needs a number`);
      }
      if (!Number.isFinite(number))
        throw new FlagInputError(`${scenario}: ${name} must be a number, got "${value}"`);
      if (number < parameter.min || number > parameter.max) {
        throw new FlagInputError(
          `${scenario}: ${name} must be between ${parameter.min} and ${parameter.max} (${parameter.unit}), got ${number}`,
        );
      }
      values[name] = number;
    } else if (target) {
      if (typeof value !== 'string' || !target.pattern.test(value)) {
        throw new FlagInputError(`${scenario}: ${name} must match ${String(target.pattern)}, got "${value}"`);
      }
      values[name] = value;
    } else {
      const known = [...Object.keys(spec.parameters), ...Object.keys(spec.targets ?? {})];
      throw new FlagInputError(
        `${scenario} takes no parameter "${name}"${known.length ? ` (it takes ${known.join(', ')})` : ''}`,
      );
    }
  }
  return values;
}

/** Resolves a scenario name the user typed; throws FlagInputError listing the known ones. */
export function scenarioNamed(name: string): ScenarioName {
  if (!isScenarioName(name)) {
    throw new FlagInputError(`unknown scenario "${name}"; known: ${SCENARIO_NAMES.join(', ')}`);
  }
  return name;
}

function flagOf(scenario: ScenarioName, setting: ScenarioSetting): FlagdFlag {
  return {
    state: 'ENABLED',
    variants: { off: {}, on: { ...setting.values } },
    defaultVariant: setting.on ? 'on' : 'off',
    metadata: {
      service: scenarioSpec(scenario).service,
      ...(setting.on && setting.hidden ? { hidden: true } : {}),
    },
  };
}

/** The flags file with every scenario off, at its default parameters. */
export function allOffDocument(): FlagsDocument {
  const flags: Record<string, FlagdFlag> = {};
  for (const scenario of SCENARIO_NAMES) {
    flags[scenario] = flagOf(scenario, { on: false, values: defaultValues(scenario) });
  }
  return { $schema: FLAGD_SCHEMA, flags };
}

export function renderFlagsDocument(document: FlagsDocument): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads a flags file's text; throws FlagInputError when it is not one the control can edit. */
export function parseFlagsDocument(text: string): FlagsDocument {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new FlagInputError(
      `the flags file is not JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (!isRecord(raw) || !isRecord(raw['flags']))
    throw new FlagInputError('the flags file has no "flags" object');
  const document = allOffDocument();
  for (const [key, flag] of Object.entries(raw['flags'])) {
    if (!isRecord(flag) || !isRecord(flag['variants']) || typeof flag['defaultVariant'] !== 'string') {
      throw new FlagInputError(`flag "${key}" lacks variants or a defaultVariant`);
    }
    if (!isScenarioName(key)) continue;
    const on = flag['variants']['on'];
    const values = isRecord(on) ? (on as Record<string, number | string>) : {};
    document.flags[key] = flagOf(key, {
      on: flag['defaultVariant'] === 'on',
      values: checkValues(key, values),
      hidden: isRecord(flag['metadata']) && flag['metadata']['hidden'] === true,
    });
  }
  return document;
}

export function settingOf(document: FlagsDocument, scenario: ScenarioName): ScenarioSetting {
  const flag = document.flags[scenario];
  if (!flag) return { on: false, values: defaultValues(scenario) };
  const on = flag.defaultVariant === 'on';
  return {
    on,
    values: { ...flag.variants.on },
    ...(on && flag.metadata?.['hidden'] === true ? { hidden: true } : {}),
  };
}

/** The document with one scenario set; the input is not changed. */
export function withSetting(
  document: FlagsDocument,
  scenario: ScenarioName,
  setting: ScenarioSetting,
): FlagsDocument {
  return { ...document, flags: { ...document.flags, [scenario]: flagOf(scenario, setting) } };
}
