import { userInfo } from 'node:os';
import { join } from 'node:path';
import type { AuditRecord, Environment, ScenarioValues } from '@glasshouse/kit';
import { LOCAL_ADMIN_TOKEN_FILE, LOCAL_AUDIT_FILE, LOCAL_FLAGS_FILE } from '@glasshouse/kit/core';
import {
  FlagAccessError,
  FlagControl,
  FlagInputError,
  ensureAdminToken,
  envReader,
  scenarioNamed,
  scenarioSpec,
} from '@glasshouse/kit';

/** Where `npm start` keeps the flags the services read, the audit trail and the admin token. */
export function localPaths(root: string): { flagsFile: string; auditFile: string; tokenFile: string } {
  return {
    flagsFile: join(root, LOCAL_FLAGS_FILE),
    auditFile: join(root, LOCAL_AUDIT_FILE),
    tokenFile: join(root, LOCAL_ADMIN_TOKEN_FILE),
  };
}

export interface CommandIo {
  readonly root: string;
  readonly env: Environment;
  out(line: string): void;
  err(line: string): void;
}

const USAGE = [
  'usage: npm run fault -- list',
  '       npm run fault -- on <scenario> [--rate r] [--delay-ms d] [--target t] [--<parameter> v] [--hidden]',
  '       npm run fault -- off <scenario> | off --all',
  'options: --token <admin token> (else GLASSHOUSE_ADMIN_TOKEN, else var/admin-token)',
  '         --flags-file <path> (else FLAGS_FILE, else var/flags/glasshouse.flagd.json)',
  '         --hidden: as a game day does, no flag gauge or log line tells of it, only its symptoms',
];

/** The terminal, for the commands' mains. A reader that stops early (`| head`) ends the output, not the command. */
export function terminalIo(): CommandIo {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
  return {
    root: join(__dirname, '..', '..', '..'),
    env: process.env,
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  };
}

class UsageError extends Error {}

interface Parsed {
  readonly words: string[];
  readonly options: Map<string, string>;
  readonly all: boolean;
  readonly hidden: boolean;
}

function parse(args: readonly string[]): Parsed {
  const words: string[] = [];
  const options = new Map<string, string>();
  let all = false;
  let hidden = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--all') all = true;
    else if (arg === '--hidden') hidden = true;
    else if (arg.startsWith('--')) {
      const [name, inline] = arg.slice(2).split('=', 2);
      const value = inline ?? args[++i];
      if (!name || value === undefined) throw new UsageError(`${arg} needs a value`);
      options.set(name, value);
    } else words.push(arg);
  }
  return { words, options, all, hidden };
}

/** `--target` names the scenario's one text parameter (the product, the route). */
function valuesFrom(scenario: string, options: Map<string, string>): ScenarioValues {
  const values: Record<string, number | string> = {};
  for (const [name, raw] of options) {
    if (name === 'token' || name === 'flags-file') continue;
    if (name === 'target') {
      const targets = Object.keys(scenarioSpec(scenarioNamed(scenario)).targets ?? {});
      const target = targets[0];
      if (!target) throw new FlagInputError(`${scenario} takes no target`);
      values[target] = raw;
    } else {
      const number = Number(raw);
      values[name] = raw.trim() !== '' && Number.isFinite(number) ? number : raw;
    }
  }
  return values;
}

function describe(record: AuditRecord): string {
  const values = Object.entries(record.new.values)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  return `${record.scenario}: ${record.old.on ? 'on' : 'off'} → ${record.new.on ? 'on' : 'off'}${record.new.on && values ? ` (${values})` : ''} · audited as ${record.actor} at ${record.time}`;
}

/** Runs one `npm run fault` command; returns the exit code (2 for refused input or credential). */
export function runFaultCommand(args: readonly string[], io: CommandIo): number {
  try {
    const { words, options, all, hidden } = parse(args);
    const env = envReader(io.env);
    const paths = localPaths(io.root);
    const flagsFile = options.get('flags-file') ?? env.string('FLAGS_FILE', paths.flagsFile);
    // On the machine that runs the shop the token file is there (or made now), so the command just works.
    const localToken = ensureAdminToken(paths.tokenFile);
    const token = options.get('token') ?? env.optionalString('GLASSHOUSE_ADMIN_TOKEN') ?? localToken;
    const control = new FlagControl({ flagsFile, auditFile: paths.auditFile, adminToken: localToken });
    const actor = `cli:${userInfo().username}`;
    const [command, scenario] = words;
    if (command === 'list' || command === undefined) {
      for (const entry of control.list()) {
        const values = Object.entries(entry.setting.values)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ');
        const state = entry.pending
          ? 'pending'
          : entry.setting.hidden
            ? 'HIDDEN'
            : entry.setting.on
              ? 'ON '
              : 'off';
        io.out(
          `${state.padEnd(7)} ${entry.scenario.padEnd(26)} ${values}${entry.pending ? ` (${entry.pending})` : ''}`,
        );
      }
      return 0;
    }
    if (command === 'off' && all) {
      const records = control.allOff(token, actor);
      for (const record of records) io.out(describe(record));
      if (records.length === 0) io.out('every scenario was already off');
      return 0;
    }
    if ((command === 'on' || command === 'off') && scenario) {
      const record = control.switch(
        token,
        actor,
        scenario,
        command === 'on',
        command === 'on' ? valuesFrom(scenario, options) : {},
        hidden,
      );
      io.out(record ? describe(record) : `${scenario} was already ${command}`);
      return 0;
    }
    throw new UsageError(
      command === 'off' ? 'off needs a scenario or --all' : `unknown command "${command}"`,
    );
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`fault: ${error.message}`);
      for (const line of USAGE) io.err(line);
      return 2;
    }
    if (error instanceof FlagInputError || error instanceof FlagAccessError) {
      io.err(
        `fault: ${error.message}${error instanceof FlagAccessError ? ' (HTTP ' + error.status + '); pass --token or set GLASSHOUSE_ADMIN_TOKEN' : ''}`,
      );
      return 2;
    }
    throw error;
  }
}
