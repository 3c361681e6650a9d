import type { ServiceName, ServiceSpec } from '../services.js';
import { addressVariable, adminAddressVariable } from '../services.js';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

/** A TCP port that was free a moment ago, for a child process that must be told its port. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** `count` distinct free ports (freePort can hand out the same one twice in a row). */
export async function distinctFreePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

/** Where each service of a shop started for a test or the bench listens. */
export interface ShopAddresses {
  /** host:port of each service (gRPC, or HTTP for the frontend). */
  readonly addresses: Partial<Record<ServiceName, string>>;
  /** Base URL of each service's /metrics and probes. */
  readonly admin: Partial<Record<ServiceName, string>>;
  /** <NAME>_ADDR and <NAME>_ADMIN_ADDR of every service, for their environment. */
  readonly env: Record<string, string>;
}

/**
 * Distinct free loopback ports for `specs`: a main port each and an admin port, except for an
 * HTTP service, which serves /metrics and the probes on its main port.
 */
export async function freeShopAddresses(specs: readonly ServiceSpec[]): Promise<ShopAddresses> {
  const ports = await distinctFreePorts(specs.length * 2);
  const addresses: Partial<Record<ServiceName, string>> = {};
  const admin: Partial<Record<ServiceName, string>> = {};
  const env: Record<string, string> = {};
  specs.forEach((spec, i) => {
    const address = `127.0.0.1:${ports[2 * i]}`;
    const adminAddress = spec.protocol === 'http' ? address : `127.0.0.1:${ports[2 * i + 1]}`;
    addresses[spec.name] = address;
    admin[spec.name] = `http://${adminAddress}`;
    env[addressVariable(spec.name)] = address;
    env[adminAddressVariable(spec.name)] = adminAddress;
  });
  return { addresses, admin, env };
}
