import { writeFileSync } from 'node:fs';
import { isMainThread, parentPort } from 'node:worker_threads';

/**
 * A service may run as a process of its own or as a worker thread of the runner (`npm start`
 * puts every service in one process). These are the few things that differ for a thread.
 */

/** The message a runner posts to a service thread to stop it gracefully (a thread gets no signals). */
export const STOP_MESSAGE = Object.freeze({ type: 'glasshouse.stop' });

export function isStopMessage(message: unknown): boolean {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as { type?: unknown }).type === STOP_MESSAGE.type
  );
}

/** True when this code runs in a worker thread rather than a process's main thread. */
export function inServiceThread(): boolean {
  return !isMainThread;
}

/** Calls `stop` when the runner asks this thread to stop; does nothing in a main thread. */
export function onStopRequest(stop: () => void): void {
  parentPort?.on('message', (message: unknown) => {
    if (isStopMessage(message)) stop();
  });
}

/**
 * Names the current OS thread after the service (Linux keeps 15 characters), so `top -H`,
 * `ps -L` and the benchmark tell the services of one process apart. Best effort: elsewhere,
 * or when /proc is not writable, nothing happens.
 */
export function nameThisThread(name: string): void {
  if (isMainThread || process.platform !== 'linux') return;
  try {
    writeFileSync('/proc/thread-self/comm', name.slice(0, 15));
  } catch {
    // Only a convenience for observers.
  }
}
