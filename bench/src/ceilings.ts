import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { waitFor } from '@glasshouse/kit/testing';

/** A ceiling server (ceiling-server.ts) running as its own process. */
export interface CeilingServer {
  readonly port: number;
  readonly pid: number;
  readonly stop: () => Promise<void>;
}

/** Starts `ceiling-server.ts <kind>` with this process's loader flags (tsx) and waits for its port. */
export async function startCeiling(kind: 'http' | 'grpc'): Promise<CeilingServer> {
  const script = join(__dirname, 'ceiling-server.ts');
  const child: ChildProcess = spawn(process.execPath, [...process.execArgv, script, kind], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  try {
    const port = await waitFor(
      () => {
        if (child.exitCode !== null) throw new Error(`ceiling server ${kind} exited: ${output}`);
        const match = /\{"port":(\d+)\}/.exec(output);
        return match ? Number(match[1]) : undefined;
      },
      { timeoutMs: 20_000, what: `the ${kind} ceiling server` },
    );
    return { port, pid: child.pid ?? 0, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
