/** What can be changed while the generator runs, from the environment or POST /config. */
export interface Settings {
  /** Concurrent shoppers (closed loop), or the most shoppers busy at once (open loop). */
  shoppers: number;
  /** Steps per second (redirects they cause aside); 0: a closed loop, each shopper going again when done. */
  rate: number;
  /** Mean think time between steps, in milliseconds (jittered ±50%). */
  thinkMs: number;
  /** Share of checkouts with an invalid card or address, in [0, 1]. */
  invalidRate: number;
}

export type SettingName = keyof Settings;

/** The accepted range of each setting; the environment and POST /config share it. */
export const SETTING_RANGES: Readonly<Record<SettingName, { min: number; max: number; integer: boolean }>> = {
  shoppers: { min: 0, max: 1000, integer: true },
  rate: { min: 0, max: 10_000, integer: false },
  thinkMs: { min: 0, max: 600_000, integer: true },
  invalidRate: { min: 0, max: 1, integer: false },
};

/** A setting that cannot be taken, with a message naming it. */
export class SettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SettingsError';
  }
}

const isSettingName = (key: string): key is SettingName => Object.hasOwn(SETTING_RANGES, key);

/** The problem with a value for a setting, or undefined when it is acceptable. */
export function settingProblem(name: SettingName, value: number): string | undefined {
  const { min, max, integer } = SETTING_RANGES[name];
  if (!Number.isFinite(value) || (integer && !Number.isInteger(value)))
    return `must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}`;
  if (value < min || value > max) return `must be from ${min} to ${max}, got ${value}`;
  return undefined;
}

/** Reads the JSON body of POST /config: some settings, each checked; anything else is refused. */
export function parseSettingsPatch(body: unknown): Partial<Settings> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new SettingsError('body: expected a JSON object such as {"shoppers": 10}');
  const patch: Partial<Settings> = {};
  for (const [key, value] of Object.entries(body)) {
    if (!isSettingName(key))
      throw new SettingsError(`${key}: unknown setting; known: ${Object.keys(SETTING_RANGES).join(', ')}`);
    const problem = typeof value === 'number' ? settingProblem(key, value) : 'must be a number';
    if (problem) throw new SettingsError(`${key}: ${problem}`);
    patch[key] = value as number;
  }
  if (Object.keys(patch).length === 0) throw new SettingsError('body: no setting to change');
  return patch;
}
