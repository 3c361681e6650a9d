/**
 * Typed readers for environment variables. A blank value counts as unset; a value that
 * cannot be read is a ConfigError naming the variable, so a service stops at startup
 * with a message instead of misbehaving later.
 */

export type Environment = Readonly<Record<string, string | undefined>>;

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable}: ${problem}`);
    this.name = 'ConfigError';
  }
}

export interface EnvReader {
  string(name: string, fallback: string): string;
  optionalString(name: string): string | undefined;
  int(name: string, fallback: number, range?: { min?: number; max?: number }): number;
  number(name: string, fallback: number, range?: { min?: number; max?: number }): number;
  bool(name: string, fallback: boolean): boolean;
  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T;
  /** `host:port`; a bare port means 0.0.0.0 on that port. */
  address(name: string, fallback: { host: string; port: number }): { host: string; port: number };
  url(name: string): URL | undefined;
}

export function envReader(env: Environment = process.env): EnvReader {
  const raw = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  const inRange = (name: string, value: number, range: { min?: number; max?: number } = {}): number => {
    if (range.min !== undefined && value < range.min)
      throw new ConfigError(name, `must be at least ${range.min}, got ${value}`);
    if (range.max !== undefined && value > range.max)
      throw new ConfigError(name, `must be at most ${range.max}, got ${value}`);
    return value;
  };
  return {
    string: (name, fallback) => raw(name) ?? fallback,
    optionalString: (name) => raw(name),
    int(name, fallback, range) {
      const value = raw(name);
      if (value === undefined) return fallback;
      if (!/^-?\d+$/.test(value)) throw new ConfigError(name, `expected an integer, got "${value}"`);
      return inRange(name, Number(value), range);
    },
    number(name, fallback, range) {
      const value = raw(name);
      if (value === undefined) return fallback;
      const parsed = Number(value);
      if (!Number.isFinite(parsed)) throw new ConfigError(name, `expected a number, got "${value}"`);
      return inRange(name, parsed, range);
    },
    bool(name, fallback) {
      const value = raw(name)?.toLowerCase();
      if (value === undefined) return fallback;
      if (['1', 'true', 'yes', 'on'].includes(value)) return true;
      if (['0', 'false', 'no', 'off'].includes(value)) return false;
      throw new ConfigError(name, `expected true or false, got "${value}"`);
    },
    oneOf(name, allowed, fallback) {
      const value = raw(name);
      if (value === undefined) return fallback;
      const match = allowed.find((a) => a === value);
      if (!match) throw new ConfigError(name, `expected one of ${allowed.join(', ')}, got "${value}"`);
      return match;
    },
    address(name, fallback) {
      const value = raw(name);
      if (value === undefined) return fallback;
      const match = /^(?:(.*):)?(\d{1,5})$/.exec(value);
      const port = Number(match?.[2]);
      if (!match || port > 65535) throw new ConfigError(name, `expected host:port, got "${value}"`);
      return { host: match[1] || '0.0.0.0', port };
    },
    url(name) {
      const value = raw(name);
      if (value === undefined) return undefined;
      try {
        return new URL(value);
      } catch {
        throw new ConfigError(name, `expected a URL, got "${value}"`);
      }
    },
  };
}
