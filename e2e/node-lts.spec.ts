import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { NODE_LTS, nodeLtsBinary } from './compose/node-lts.js';

const run = promisify(execFile);
const ROOT = join(__dirname, '..');
/** The system tests: one trace across the shop, and an order placed and persisted. */
const SYSTEM_TESTS = ['e2e/slice.spec.ts', 'e2e/checkout-trace.spec.ts'];

/** This runner's environment without its NODE_TEST_CONTEXT, which would make the child report to us silently. */
function runnerEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT;
  return env;
}

describe(`the system tests on Node ${NODE_LTS.version}, the LTS the Dockerfile names`, () => {
  it('pass under that binary, services included (they start with the running node)', async () => {
    const node = nodeLtsBinary();
    const { stdout: version } = await run(node, ['--version']);
    assert.match(version.trim(), /^v24\./);
    const { stdout } = await run(
      node,
      ['--conditions=development', '--import', 'tsx', '--test', '--test-reporter=tap', ...SYSTEM_TESTS],
      { cwd: ROOT, env: runnerEnv(), timeout: 8 * 60_000, maxBuffer: 64 * 2 ** 20 },
    ).catch((error: unknown) => {
      const failed = error as { stdout?: string; stderr?: string };
      assert.fail(
        `system tests failed on ${version.trim()}:\n${failed.stdout ?? ''}\n${failed.stderr ?? ''}`,
      );
    });
    const count = (name: string): number => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(stdout)?.[1]);
    process.stdout.write(`# on ${version.trim()}: ${count('pass')} passed, ${count('fail')} failed\n`);
    assert.equal(count('fail'), 0);
    assert.ok(count('pass') > 0);
  });
});
