import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { waitFor } from '@glasshouse/kit/testing';

const ROOT = join(__dirname, '..', '..', '..');

/** The runner behind `npm start`, started by a test. */
export interface StartedRunner {
  readonly process: ChildProcessWithoutNullStreams;
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
  /** Its exit code, once it exits. */
  readonly exited: Promise<number | null>;
}

/**
 * Starts `node tools/run/dist/main.js` (what `npm start` runs after building) in the repository
 * root with `env`, and waits until it prints that the shop is ready; fails with the end of its
 * output if it exits first or is not ready within `timeoutMs`.
 */
export async function startRunner(
  env: Readonly<Record<string, string | undefined>>,
  timeoutMs: number,
): Promise<StartedRunner> {
  const child = spawn(process.execPath, [join(ROOT, 'tools', 'run', 'dist', 'main.js')], { cwd: ROOT, env });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  try {
    await waitFor(
      () => {
        if (child.exitCode !== null) throw new Error(`the runner exited:\n${output.slice(-3000)}`);
        return output.includes('Glasshouse is ready in');
      },
      { timeoutMs, what: 'the runner to say it is ready' },
    );
  } catch (error) {
    if (child.exitCode === null) child.kill('SIGKILL');
    throw error;
  }
  return { process: child, output: () => output, exited };
}
