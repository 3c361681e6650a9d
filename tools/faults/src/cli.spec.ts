import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseFlagsDocument, settingOf } from '@glasshouse/kit';
import type { CommandIo } from './cli.js';
import { localPaths, runFaultCommand } from './cli.js';
import { SCENARIO_NAMES } from '@glasshouse/kit';
import { PLAYABLE, leftOut, planGameDay, runGameDay } from './gameday.js';

const ROOT = join(__dirname, '..', '..', '..');
const roots: string[] = [];
after(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

function shopRoot(env: Record<string, string> = {}): CommandIo & { lines: string[]; errors: string[] } {
  const root = mkdtempSync(join(tmpdir(), 'glasshouse-fault-'));
  roots.push(root);
  const lines: string[] = [];
  const errors: string[] = [];
  return { root, env, lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l) };
}

const flagsOf = (root: string) => parseFlagsDocument(readFileSync(localPaths(root).flagsFile, 'utf8'));
const auditLines = (root: string): string[] => {
  try {
    return readFileSync(localPaths(root).auditFile, 'utf8').trim().split('\n').filter(Boolean);
  } catch {
    return [];
  }
};

describe('npm run fault', () => {
  it('switches a scenario on with its parameters, lists it, and switches everything off, one audit line per change', () => {
    const io = shopRoot();
    assert.equal(runFaultCommand(['on', 'payment-failure', '--rate', '0.5'], io), 0);
    assert.deepEqual(settingOf(flagsOf(io.root), 'payment-failure'), { on: true, values: { rate: 0.5 } });
    assert.equal(runFaultCommand(['on', 'product-drained', '--target', 'L9ECAV7KIM'], io), 0);
    assert.equal(settingOf(flagsOf(io.root), 'product-drained').values['product'], 'L9ECAV7KIM');
    io.lines.length = 0;
    assert.equal(runFaultCommand(['list'], io), 0);
    assert.match(
      io.lines.find((l) => l.includes('payment-failure')) ?? '',
      /^ON\s+payment-failure\s+rate=0.5/,
    );
    assert.match(
      io.lines.find((l) => l.includes('login-brute-force')) ?? '',
      /^off\s+login-brute-force\s+attempts-per-second=5/,
    );
    assert.equal(runFaultCommand(['off', 'payment-failure'], io), 0);
    assert.equal(runFaultCommand(['on', 'catalog-slow', '--hidden'], io), 0);
    assert.equal(settingOf(flagsOf(io.root), 'catalog-slow').hidden, true);
    assert.equal(runFaultCommand(['off', '--all'], io), 0);
    assert.ok(io.lines.some((l) => /^product-drained: on → off/.test(l)));
    assert.equal(auditLines(io.root).length, 6);
    assert.ok(!settingOf(flagsOf(io.root), 'product-drained').on);
    assert.equal(settingOf(flagsOf(io.root), 'catalog-slow').hidden, undefined, 'off clears hidden');
  });

  it('refuses bad input with a clear message and exit code 2, changing nothing', () => {
    const io = shopRoot();
    runFaultCommand(['on', 'catalog-slow'], io);
    const before = readFileSync(localPaths(io.root).flagsFile, 'utf8');
    const refused = (args: string[], message: RegExp) => {
      io.errors.length = 0;
      assert.equal(runFaultCommand(args, io), 2, args.join(' '));
      assert.match(io.errors.join('\n'), message);
    };
    refused(['on', 'payment-explodes'], /unknown scenario "payment-explodes"/);
    refused(['on', 'payment-failure', '--rate', '2.0'], /rate must be between 0 and 1/);
    refused(['on', 'catalog-slow', '--delay-ms', '-5'], /delay-ms must be between 0 and 60000/);
    refused(['on', 'payment-failure', '--rate', 'lots'], /rate must be a number/);
    refused(['off'], /off needs a scenario or --all/);
    refused(['explode'], /unknown command "explode"/);
    refused(['on', 'payment-failure', '--token', 'f'.repeat(64)], /admin token is not valid \(HTTP 403\)/);
    assert.equal(readFileSync(localPaths(io.root).flagsFile, 'utf8'), before);
    writeFileSync(localPaths(io.root).flagsFile, '{"flags": {"catalog-slow": 3}}');
    refused(['on', 'payment-failure'], /flag "catalog-slow" lacks variants/);
    assert.equal(auditLines(io.root).length, 1);
  });

  it('switches the flags flagd serves in the Compose stack (--flags-file) on and off', () => {
    const io = shopRoot();
    const served = join(io.root, 'deploy-flags.json');
    writeFileSync(served, readFileSync(join(ROOT, 'deploy', 'flags', 'glasshouse.flagd.json'), 'utf8'));
    assert.equal(runFaultCommand(['on', 'catalog-slow', '--delay-ms', '900', '--flags-file', served], io), 0);
    const flags = () => parseFlagsDocument(readFileSync(served, 'utf8'));
    assert.deepEqual(settingOf(flags(), 'catalog-slow'), { on: true, values: { 'delay-ms': 900 } });
    assert.equal(runFaultCommand(['off', '--all', '--flags-file', served], io), 0);
    assert.deepEqual(
      SCENARIO_NAMES.filter((s) => settingOf(flags(), s).on),
      [],
    );
    assert.equal(auditLines(io.root).length, 2);
  });

  it('takes the token from GLASSHOUSE_ADMIN_TOKEN and refuses a wrong one', () => {
    const io = shopRoot({ GLASSHOUSE_ADMIN_TOKEN: 'not-the-token' });
    assert.equal(runFaultCommand(['on', 'ad-cpu-burn'], io), 2);
    assert.deepEqual(auditLines(io.root), []);
    const token = readFileSync(localPaths(io.root).tokenFile, 'utf8').trim();
    assert.equal(runFaultCommand(['on', 'ad-cpu-burn', '--token', token], io), 0);
  });
});

describe('the commands on a terminal', () => {
  it('end quietly with exit code 0 when their reader stops early (`| head`)', async () => {
    const io = shopRoot();
    const child = spawn(
      process.execPath,
      ['--conditions=development', '--import', 'tsx', join(__dirname, 'main.ts'), 'list'],
      { cwd: ROOT, env: { ...process.env, FLAGS_FILE: localPaths(io.root).flagsFile } },
    );
    // Closed before the command writes a line: every line it writes meets a closed pipe.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += String(chunk)));
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 0, stderr);
    assert.doesNotMatch(stderr, /EPIPE|Unhandled/);
  });
});

describe('npm run gameday', () => {
  it('plays every scenario a player can find, traffic-surge and trace-export-failure included, and says why it leaves one out', () => {
    assert.ok(PLAYABLE.includes('traffic-surge'));
    assert.ok(PLAYABLE.includes('trace-export-failure'));
    for (const scenario of SCENARIO_NAMES) {
      if (!PLAYABLE.includes(scenario))
        assert.match(leftOut(scenario) ?? '', /\S/, `${scenario} is left out without a reason`);
    }
    // Each one comes up: the seeds 0–299 pick every scenario of the pool.
    const picked = new Set(Array.from({ length: 300 }, (_, seed) => planGameDay(seed)).flat());
    assert.deepEqual(
      PLAYABLE.filter((s) => !picked.has(s)),
      [],
    );
  });

  it('switches on the same scenarios for the same seed, on another machine too', () => {
    const first = shopRoot();
    const second = shopRoot();
    for (const seed of [3, 11, 2026]) {
      assert.equal(runGameDay(['--seed', String(seed)], first), 0);
      assert.equal(runGameDay(['--seed', String(seed)], second), 0);
      const on = (root: string) => PLAYABLE.filter((s) => settingOf(flagsOf(root), s).on);
      assert.deepEqual(on(first.root), on(second.root));
      assert.deepEqual(
        on(first.root),
        [...planGameDay(seed)].sort((a, b) => PLAYABLE.indexOf(a) - PLAYABLE.indexOf(b)),
      );
    }
  });

  it('picks the same scenarios for the same seed, only playable ones, and reveals them on request', () => {
    assert.deepEqual(planGameDay(42), planGameDay(42));
    const seen = new Set(Array.from({ length: 50 }, (_, seed) => planGameDay(seed)).flat());
    assert.ok(seen.size > 5, 'seeds spread over the scenarios');
    for (const scenario of seen) assert.ok(PLAYABLE.includes(scenario));

    const io = shopRoot();
    assert.equal(runGameDay(['--seed', '7'], io), 0);
    assert.ok(!io.lines.join('\n').includes(planGameDay(7)[0] ?? '?'), 'the scenario is not named');
    const on = planGameDay(7).filter((s) => settingOf(flagsOf(io.root), s).on);
    assert.deepEqual(on, planGameDay(7));
    // Hidden from the services' flag gauge and logs; the game master's list still says so.
    for (const scenario of on) assert.equal(settingOf(flagsOf(io.root), scenario).hidden, true, scenario);
    io.lines.length = 0;
    assert.equal(runFaultCommand(['list'], io), 0);
    for (const scenario of on)
      assert.match(io.lines.find((l) => l.includes(` ${scenario} `)) ?? '', /^HIDDEN\s/, scenario);
    io.lines.length = 0;
    assert.equal(runGameDay(['--reveal'], io), 0);
    for (const scenario of planGameDay(7)) assert.ok(io.lines.some((l) => l.startsWith(`${scenario}: `)));
    assert.equal(runGameDay(['--seed', 'x'], io), 2);
  });
});
