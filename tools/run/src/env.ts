/** Addresses as the runner passes them around; kept free of the kit so entry points stay light. */

export interface Address {
  readonly host: string;
  readonly port: number;
}

/** `host:port` as a URL authority, with IPv6 hosts in brackets. */
export function formatAddress(address: Address): string {
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}

/** Where to connect to reach a listener: a wildcard bind address is reached on loopback. */
export function connectAddress(address: Address): Address {
  const host = address.host.replace(/^\[(.*)\]$/, '$1');
  return ['0.0.0.0', '::', ''].includes(host)
    ? { host: '127.0.0.1', port: address.port }
    : { host, port: address.port };
}

/** A TCP port, 0 to 65535, or undefined when `value` is not one. */
export function parsePort(value: string): number | undefined {
  const port = Number(value);
  return /^\d{1,5}$/.test(value) && port <= 65535 ? port : undefined;
}
