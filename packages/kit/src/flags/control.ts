import { randomBytes, timingSafeEqual } from 'node:crypto';
import {
  appendFileSync,
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from 'pino';
import type { FlagsDocument, ScenarioSetting, ScenarioValues } from './flags-file.js';
import {
  FlagInputError,
  allOffDocument,
  checkValues,
  parseFlagsDocument,
  renderFlagsDocument,
  scenarioNamed,
  settingOf,
  withSetting,
} from './flags-file.js';
import type { ScenarioName } from './scenarios.js';
import { SCENARIO_NAMES, scenarioSpec } from './scenarios.js';

/** One accepted change of a flag: who, what, when, and the values before and after. */
export interface AuditRecord {
  readonly time: string;
  readonly actor: string;
  readonly scenario: ScenarioName;
  readonly old: ScenarioSetting;
  readonly new: ScenarioSetting;
}

/** A change refused for want of the admin credential: 401 without one, 403 with a wrong one. */
export class FlagAccessError extends Error {
  override readonly name = 'FlagAccessError';
  constructor(readonly status: 401 | 403) {
    super(status === 401 ? 'the admin token is required' : 'the admin token is not valid');
  }
}

/**
 * The admin token: read from `path`, or made on first use — 32 random bytes, hex, in a file only
 * its owner may read (as Jupyter keeps its token), so the local command finds it by itself.
 */
export function ensureAdminToken(path: string): string {
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  mkdirSync(dirname(path), { recursive: true });
  const token = randomBytes(32).toString('hex');
  writeFileSync(path, `${token}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600);
  return token;
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface FlagControlOptions {
  /** The flags file the services read (FLAGS_FILE). */
  readonly flagsFile: string;
  /** Append-only JSON lines, one per accepted change. */
  readonly auditFile: string;
  /** The token a change must present. */
  readonly adminToken: string;
  readonly logger?: Logger;
  readonly now?: () => Date;
}

/** Reads and changes the flags file on behalf of an admin, auditing every accepted change. */
export class FlagControl {
  constructor(private readonly options: FlagControlOptions) {}

  /** The flags in force; a missing file reads as every scenario off. Throws FlagInputError when malformed. */
  read(): FlagsDocument {
    if (!existsSync(this.options.flagsFile)) return allOffDocument();
    return parseFlagsDocument(readFileSync(this.options.flagsFile, 'utf8'));
  }

  list(): { scenario: ScenarioName; setting: ScenarioSetting; pending?: string }[] {
    const document = this.read();
    return SCENARIO_NAMES.map((scenario) => {
      const pending = scenarioSpec(scenario).pending;
      return { scenario, setting: settingOf(document, scenario), ...(pending ? { pending } : {}) };
    });
  }

  /**
   * Switches one scenario on (with `values` over its defaults) or off. Checks the credential,
   * then the input, then writes; returns the audit record, or undefined when nothing changed.
   */
  switch(
    credential: string | undefined,
    actor: string,
    scenarioName: string,
    on: boolean,
    values: ScenarioValues = {},
    hidden = false,
  ): AuditRecord | undefined {
    this.authorize(credential);
    const scenario = scenarioNamed(scenarioName);
    const pending = scenarioSpec(scenario).pending;
    if (on && pending) throw new FlagInputError(`${scenario} cannot be switched on yet: it ${pending}`);
    const document = this.read();
    const old = settingOf(document, scenario);
    const next: ScenarioSetting = {
      on,
      values: on ? checkValues(scenario, values) : old.values,
      ...(on && hidden ? { hidden } : {}),
    };
    if (JSON.stringify(old) === JSON.stringify(next)) return undefined;
    this.write(withSetting(document, scenario, next));
    return this.audit({ time: this.now(), actor, scenario, old, new: next });
  }

  /** Switches every scenario off; one audit record per scenario that was on. */
  allOff(credential: string | undefined, actor: string): AuditRecord[] {
    this.authorize(credential);
    return this.list()
      .filter((entry) => entry.setting.on)
      .flatMap((entry) => this.switch(credential, actor, entry.scenario, false) ?? []);
  }

  private authorize(credential: string | undefined): void {
    if (!credential) throw new FlagAccessError(401);
    if (!sameToken(credential, this.options.adminToken)) throw new FlagAccessError(403);
  }

  private now(): string {
    return (this.options.now?.() ?? new Date()).toISOString();
  }

  /** Whole-file replace, so a service never reads half a file. */
  private write(document: FlagsDocument): void {
    const { flagsFile } = this.options;
    mkdirSync(dirname(flagsFile), { recursive: true });
    const temporary = `${flagsFile}.${process.pid}.tmp`;
    writeFileSync(temporary, renderFlagsDocument(document));
    renameSync(temporary, flagsFile);
  }

  private audit(record: AuditRecord): AuditRecord {
    mkdirSync(dirname(this.options.auditFile), { recursive: true });
    appendFileSync(this.options.auditFile, `${JSON.stringify(record)}\n`, { mode: 0o600 });
    const { logger } = this.options;
    if (!logger) return record;
    logger.info(
      {
        'feature_flag.key': record.scenario,
        'feature_flag.variant': record.new.on ? 'on' : 'off',
        'audit.actor': record.actor,
        'audit.old': JSON.stringify(record.old),
        'audit.new': JSON.stringify(record.new),
      },
      'feature flag switched',
    );
    return record;
  }
}
