import type { ChildProcess } from 'node:child_process';
import type { ProcessGuard } from '../process-guard.js';
import { startProcessGuard } from '../process-guard.js';

/** One guard per test process, started with the first child it watches. */
let guard: ProcessGuard | undefined;

/** Ends `child` with the test that started it, even when the test is killed with -9. */
export function endsWithTest<T extends ChildProcess>(child: T): T {
  if (child.pid === undefined) return child;
  const { pid } = child;
  guard ??= startProcessGuard();
  guard.adopt(pid);
  child.once('exit', () => guard?.release(pid));
  return child;
}
