import type { EnvReader } from '@glasshouse/kit';
import { ConfigError, dependencyAddress } from '@glasshouse/kit';
import type { Journey } from './journeys.js';
import { JOURNEYS, JOURNEY_NAMES } from './journeys.js';
import type { Settings } from './settings.js';
import { SETTING_RANGES } from './settings.js';

/** How long and how the run goes; fixed at startup. */
export interface RunLimits {
  /** Seconds of running (paused time not counted); 0 runs until stopped. */
  readonly durationS: number;
  /** Journeys to make in all; 0 for no limit. */
  readonly iterations: number;
  /** Seconds over which shoppers (or the rate) rise at the start and fall at the end of a duration. */
  readonly rampS: number;
}

export interface LoadgenConfig {
  /** The shop's base URL: the one origin the shoppers ever send requests to. */
  readonly targetUrl: URL;
  readonly settings: Readonly<Settings>;
  readonly limits: RunLimits;
  readonly journeys: readonly Journey[];
  /** Seeds the shoppers' choices for a repeatable run; undefined for Math.random. */
  readonly seed: number | undefined;
}

function targetUrl(env: EnvReader): URL {
  const url = env.url('LOADGEN_TARGET_URL') ?? new URL(`http://${dependencyAddress(env, 'frontend')}`);
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ConfigError('LOADGEN_TARGET_URL', `expected an http or https URL, got "${url.href}"`);
  return new URL(url.origin);
}

function journeys(env: EnvReader): readonly Journey[] {
  const list = env.optionalString('LOADGEN_JOURNEYS');
  if (list === undefined) return JOURNEYS;
  const names = list
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const known = JOURNEY_NAMES.join(', ');
  if (names.length === 0) throw new ConfigError('LOADGEN_JOURNEYS', `expected a list of: ${known}`);
  const unknown = names.filter((name) => !JOURNEY_NAMES.some((journey) => journey === name));
  if (unknown.length)
    throw new ConfigError('LOADGEN_JOURNEYS', `unknown journey "${unknown.join('", "')}"; known: ${known}`);
  return JOURNEYS.filter((journey) => names.includes(journey.name));
}

/** Reads the load generator's configuration once; a bad value is a ConfigError naming the variable. */
export function readLoadgenConfig(env: EnvReader): LoadgenConfig {
  const { shoppers, rate, thinkMs, invalidRate } = SETTING_RANGES;
  const seconds = { min: 0, max: 365 * 24 * 3600 };
  const seed = env.optionalString('LOADGEN_SEED');
  return Object.freeze({
    targetUrl: targetUrl(env),
    settings: Object.freeze({
      shoppers: env.int('LOADGEN_SHOPPERS', 5, shoppers),
      rate: env.number('LOADGEN_RATE', 0, rate),
      thinkMs: env.int('LOADGEN_THINK_MS', 1000, thinkMs),
      invalidRate: env.number('LOADGEN_INVALID_RATE', 0.02, invalidRate),
    }),
    limits: Object.freeze({
      durationS: env.number('LOADGEN_DURATION_S', 0, seconds),
      iterations: env.int('LOADGEN_ITERATIONS', 0, { min: 0 }),
      rampS: env.number('LOADGEN_RAMP_S', 0, seconds),
    }),
    journeys: journeys(env),
    seed: seed === undefined ? undefined : env.int('LOADGEN_SEED', 0, { min: 0, max: 2 ** 32 - 1 }),
  });
}
