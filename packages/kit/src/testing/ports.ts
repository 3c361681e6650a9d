import type { ServiceName, ServiceSpec } from '../services.js';
import { addressVariable, adminAddressVariable } from '../services.js';
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** Test ports come from here up to the kernel's ephemeral range. */
const LOWEST_PORT = 20_000;
/** Handed out by this process already: never twice, so a test's ports are distinct. */
const handedOut = new Set<number>();
/** Read once, on the first port asked for. */
let ceiling: number | undefined;

/**
 * Where the kernel's ephemeral range starts. Below it no outgoing connection is ever given a
 * local port, so a port picked there stays free until the child binds it; one the kernel picked
 * (listen on 0) may be handed to the next connect() meanwhile, and the child fails EADDRINUSE.
 */
function ephemeralLow(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    if (Number.isInteger(low) && low > LOWEST_PORT + 1000) return low;
  } catch {
    // Not Linux: below Linux's default start, itself below the 49152 of macOS and Windows.
  }
  return 32_768;
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A TCP port free a moment ago and outside the ephemeral range, for a child that must be told its port. */
export async function freePort(): Promise<number> {
  ceiling ??= ephemeralLow();
  for (let attempt = 0; attempt < 1000; attempt++) {
    const port = randomInt(LOWEST_PORT, ceiling);
    if (handedOut.has(port) || !(await canListen(port))) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error(`no free port between ${LOWEST_PORT} and ${ceiling}`);
}

/** `count` distinct free ports. */
export async function distinctFreePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) ports.push(await freePort());
  return ports;
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
