/** Typed readers for the runner's environment variables. */

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

export interface Address {
  readonly host: string;
  readonly port: number;
}

/** `host:port`, `[::1]:port` or a bare port (all interfaces, as the services read it). */
export function parseAddress(variable: string, value: string): Address {
  const match = /^(?:\[([^\]]+)\]:|([^:]*):)?(\d{1,5})$/.exec(value.trim());
  if (!match) throw new ConfigError(variable, `expected host:port, got "${value}"`);
  const host = match[1] ?? match[2] ?? '';
  return { host: host === '' ? '0.0.0.0' : host, port: parsePort(variable, match[3] ?? '') };
}

export function parsePort(variable: string, value: string): number {
  const port = Number(value);
  if (!/^\d{1,5}$/.test(value) || port > 65535) {
    throw new ConfigError(variable, `expected a port between 0 and 65535, got "${value}"`);
  }
  return port;
}

/** `host:port` as a URL authority, with IPv6 hosts in brackets. */
export function formatAddress(address: Address): string {
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}

/** Where to connect to reach a listener: a wildcard bind address is reached on loopback. */
export function connectAddress(address: Address): Address {
  return ['0.0.0.0', '::', ''].includes(address.host) ? { host: '127.0.0.1', port: address.port } : address;
}

export function readSwitch(variable: string, value: string | undefined, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  const lower = value.toLowerCase();
  if (['on', 'true', '1', 'yes'].includes(lower)) return true;
  if (['off', 'false', '0', 'no'].includes(lower)) return false;
  throw new ConfigError(variable, `expected on or off, got "${value}"`);
}

export function readUrl(variable: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!URL.canParse(value)) throw new ConfigError(variable, 'expected a URL such as postgres://user@host:5432/db');
  return value;
}
