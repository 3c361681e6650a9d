import { createConnection, createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

/**
 * A TCP proxy on a free loopback port in front of one dependency, holding every chunk the
 * caller sends for `delayMs` before passing it on (answers pass at once): a slow dependency
 * made for real, switched on and off while connections stay open.
 */
export interface SlowLink {
  /** host:port to give the caller in place of the dependency's address. */
  readonly address: string;
  delayMs: number;
  close(): Promise<void>;
}

export async function startSlowLink(target: string): Promise<SlowLink> {
  const [host = '127.0.0.1', port = '0'] = target.split(/:(?=\d+$)/);
  const sockets = new Set<Socket>();
  const link = { delayMs: 0 };
  const server = createServer((caller) => {
    const upstream = createConnection({ host, port: Number(port) });
    sockets.add(caller).add(upstream);
    const end = () => {
      caller.destroy();
      upstream.destroy();
      sockets.delete(caller);
      sockets.delete(upstream);
    };
    caller.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    upstream.pipe(caller);
    // Chunks keep their order: each waits for the one before, then until its own time is due.
    let queue = Promise.resolve();
    caller.on('data', (chunk: Buffer) => {
      const due = Date.now() + link.delayMs;
      queue = queue.then(async () => {
        const wait = due - Date.now();
        if (wait > 0) await delay(wait);
        if (!upstream.destroyed) upstream.write(chunk);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: listening } = server.address() as AddressInfo;
  return Object.assign(link, {
    address: `127.0.0.1:${listening}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}
