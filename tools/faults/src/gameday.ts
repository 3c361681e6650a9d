import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ScenarioName } from '@glasshouse/kit';
import { SCENARIO_NAMES, isScenarioName } from '@glasshouse/kit';
import type { Signature } from './answer-key.js';
import { ANSWER_KEY } from './answer-key.js';
import type { CommandIo } from './cli.js';
import { runFaultCommand } from './cli.js';

/** A small seeded generator (mulberry32): the same seed picks the same scenarios. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Why a game day leaves a scenario out, or undefined when a player can find it. Only a pending
 * scenario is left out: it cannot be switched on. Every other one shows in what the shop
 * exports — traffic-surge in loadgen_shoppers (the load generator board) and the request rates,
 * trace-export-failure in the SDK exporter's lost-span counter and TraceExportFailing. (Those
 * two were once left out because their answer-key entries were pending.)
 */
export function leftOut(scenario: ScenarioName): string | undefined {
  const entry = ANSWER_KEY[scenario];
  return 'pending' in entry ? `pending: ${entry.pending}` : undefined;
}

/** Scenarios a game day may pick. */
export const PLAYABLE: readonly ScenarioName[] = SCENARIO_NAMES.filter((s) => leftOut(s) === undefined);

/** One or two distinct playable scenarios, chosen by `seed`. */
export function planGameDay(seed: number): ScenarioName[] {
  const next = random(seed);
  const count = next() < 0.5 ? 1 : 2;
  const pool = [...PLAYABLE];
  const chosen: ScenarioName[] = [];
  while (chosen.length < count && pool.length > 0) {
    const [picked] = pool.splice(Math.floor(next() * pool.length), 1);
    if (picked) chosen.push(picked);
  }
  return chosen;
}

const secretFile = (root: string): string => join(root, 'var', 'flags', 'gameday.json');

function reveal(scenario: ScenarioName, io: CommandIo): void {
  const signature = ANSWER_KEY[scenario] as Signature;
  io.out(`${scenario}: ${signature.story}`);
  io.out(`  metric: ${signature.promql.expr} ${signature.promql.op} ${signature.promql.threshold}`);
  if (signature.log) io.out(`  log:    "${signature.log.message}" from ${signature.log.service}`);
  const { span } = signature;
  if (span) io.out(`  span:   ${span.name} in ${span.service}, status ${span.status}`);
  io.out(
    `  alerts: ${signature.alerts.map((a) => `${a.alert}{service=${a.service}}`).join(', ') || `none (${signature.quiet ?? 'no rule covers it'})`} (docs/faults.md#${scenario})`,
  );
}

/** `npm run gameday -- [--seed n] [--reveal]`; returns the exit code. */
export function runGameDay(args: readonly string[], io: CommandIo): number {
  const seedAt = args.indexOf('--seed');
  const seedText = seedAt >= 0 ? args[seedAt + 1] : undefined;
  const seed = seedText === undefined ? Date.now() % 1_000_000 : Number(seedText);
  if (!Number.isInteger(seed) || seed < 0) {
    io.err(`gameday: --seed takes a whole number, got "${seedText}"`);
    return 2;
  }
  if (args.includes('--reveal')) {
    const path = secretFile(io.root);
    if (!existsSync(path)) {
      io.err('gameday: no game day has been started here (var/flags/gameday.json is missing)');
      return 2;
    }
    const played = JSON.parse(readFileSync(path, 'utf8')) as { seed: number; scenarios: string[] };
    io.out(`game day ${played.seed} switched on:`);
    for (const scenario of played.scenarios) if (isScenarioName(scenario)) reveal(scenario, io);
    return 0;
  }
  const quiet: CommandIo = { ...io, out: () => undefined };
  const off = runFaultCommand(['off', '--all'], quiet);
  if (off !== 0) return off;
  const scenarios = planGameDay(seed);
  for (const scenario of scenarios) {
    const code = runFaultCommand(['on', scenario, '--hidden'], quiet);
    if (code !== 0) return code;
  }
  mkdirSync(dirname(secretFile(io.root)), { recursive: true });
  writeFileSync(secretFile(io.root), `${JSON.stringify({ seed, scenarios })}\n`, { mode: 0o600 });
  io.out(`game day ${seed}: something is wrong in the shop. Find it with the dashboards, logs and traces.`);
  io.out(`when done: npm run gameday -- --reveal, then npm run fault -- off --all`);
  return 0;
}
