import { execFile } from 'node:child_process';
import { createServer } from 'node:net';

/**
 * Whether something already listens on host:port. Checked before starting, so that a process
 * left over from another run is reported instead of answering our readiness probes.
 */
export function portInUse(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'EADDRINUSE'));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(false)));
  });
}

/**
 * Who listens on a TCP port, as `pid 123 (prometheus)`, for a message that names a process left
 * over from another run; undefined when lsof is missing or names nobody (another user's process).
 */
export function portHolder(port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(
      'lsof',
      ['-nP', `-iTCP:${port}`, '-sTCP:LISTEN', '-Fpc'],
      { timeout: 2000, encoding: 'utf8' },
      (_error, stdout) => {
        const pid = /^p(\d+)$/m.exec(stdout)?.[1];
        const command = /^c(.+)$/m.exec(stdout)?.[1];
        resolve(pid ? `pid ${pid}${command ? ` (${command})` : ''}` : undefined);
      },
    );
  });
}

/** `host:port is already in use by pid 123 (prometheus)`, or without the holder when unknown. */
export async function takenMessage(address: string, port: number): Promise<string> {
  const holder = await portHolder(port);
  return `${address} is already in use${holder ? ` by ${holder}` : ''}`;
}
