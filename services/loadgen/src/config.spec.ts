import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, envReader } from '@glasshouse/kit';
import { readLoadgenConfig } from './config.js';

const read = (env: Record<string, string>) => readLoadgenConfig(envReader(env));

describe('the load generator’s configuration', () => {
  it('defaults to five shoppers in a closed loop on the local frontend', () => {
    const config = read({});
    assert.equal(config.targetUrl.href, 'http://127.0.0.1:8080/');
    assert.deepEqual(config.settings, { shoppers: 5, rate: 0, thinkMs: 1000, invalidRate: 0.02 });
    assert.deepEqual(config.limits, { durationS: 0, iterations: 0, rampS: 0 });
    assert.equal(config.journeys.length, 7);
    assert.equal(config.seed, undefined);
    assert.ok(Object.isFrozen(config) && Object.isFrozen(config.settings));
  });

  it('finds the frontend at FRONTEND_ADDR, unless LOADGEN_TARGET_URL says otherwise', () => {
    assert.equal(read({ FRONTEND_ADDR: '0.0.0.0:9090' }).targetUrl.href, 'http://127.0.0.1:9090/');
    const config = read({ FRONTEND_ADDR: ':9090', LOADGEN_TARGET_URL: 'https://shop.example:8443/ignored' });
    assert.equal(config.targetUrl.href, 'https://shop.example:8443/');
  });

  it('reads every variable', () => {
    const config = read({
      LOADGEN_SHOPPERS: '12',
      LOADGEN_RATE: '7.5',
      LOADGEN_THINK_MS: '0',
      LOADGEN_INVALID_RATE: '0.1',
      LOADGEN_DURATION_S: '60',
      LOADGEN_ITERATIONS: '500',
      LOADGEN_RAMP_S: '10',
      LOADGEN_JOURNEYS: ' checkout, browseProduct ',
      LOADGEN_SEED: '42',
    });
    assert.deepEqual(config.settings, { shoppers: 12, rate: 7.5, thinkMs: 0, invalidRate: 0.1 });
    assert.deepEqual(config.limits, { durationS: 60, iterations: 500, rampS: 10 });
    assert.deepEqual(
      config.journeys.map((j) => j.name),
      ['browseProduct', 'checkout'],
    );
    assert.equal(config.seed, 42);
  });

  for (const [variable, value, problem] of [
    ['LOADGEN_RATE', '-1', /at least 0/],
    ['LOADGEN_SHOPPERS', 'many', /integer/],
    ['LOADGEN_SHOPPERS', '2.5', /integer/],
    ['LOADGEN_THINK_MS', '-5', /at least 0/],
    ['LOADGEN_INVALID_RATE', '1.5', /at most 1/],
    ['LOADGEN_DURATION_S', '-1', /at least 0/],
    ['LOADGEN_ITERATIONS', '-3', /at least 0/],
    ['LOADGEN_RAMP_S', 'soon', /number/],
    ['LOADGEN_JOURNEYS', 'index,teleport', /unknown journey "teleport"; known: index, setCurrency/],
    ['LOADGEN_JOURNEYS', ' , ', /expected a list/],
    ['LOADGEN_TARGET_URL', 'ftp://127.0.0.1/', /http or https/],
    ['LOADGEN_TARGET_URL', 'not a url', /expected a URL/],
  ] as const) {
    it(`refuses ${variable}=${value} with an error naming it`, () => {
      assert.throws(
        () => read({ [variable]: value }),
        (error: unknown) =>
          error instanceof ConfigError &&
          error.variable === variable &&
          problem.test(error.message) &&
          error.message.startsWith(`${variable}: `),
      );
    });
  }

  it('stops the process with exit code 2 and the variable’s name on a bad value', async () => {
    const main = join(__dirname, 'main.ts');
    const args = ['--conditions=development', '--import', 'tsx', main];
    const env = { ...process.env, LOADGEN_RATE: '-1', LOADGEN_ADMIN_ADDR: '127.0.0.1:0' };
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = execFile(process.execPath, args, { env, timeout: 30_000 }, (_error, _stdout, stderr) =>
        resolve({ code: child.exitCode, stderr }),
      );
    });
    assert.equal(code, 2);
    assert.match(stderr, /startup failed: LOADGEN_RATE: must be at least 0, got -1/);
  });
});
