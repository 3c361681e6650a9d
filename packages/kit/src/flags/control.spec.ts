import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { AuditRecord } from './control.js';
import { FlagAccessError, FlagControl, ensureAdminToken } from './control.js';
import { FlagInputError, allOffDocument, renderFlagsDocument } from './flags-file.js';

const root = mkdtempSync(join(tmpdir(), 'glasshouse-control-'));
after(() => rmSync(root, { recursive: true, force: true }));
let count = 0;

function control(): { control: FlagControl; flagsFile: string; auditFile: string; token: string } {
  const dir = join(root, String(count++));
  const token = ensureAdminToken(join(dir, 'admin-token'));
  const flagsFile = join(dir, 'flags.json');
  const auditFile = join(dir, 'audit.jsonl');
  writeFileSync(flagsFile, renderFlagsDocument(allOffDocument()));
  return {
    control: new FlagControl({ flagsFile, auditFile, adminToken: token }),
    flagsFile,
    auditFile,
    token,
  };
}

const auditOf = (file: string): AuditRecord[] => {
  try {
    return readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as AuditRecord);
  } catch {
    return [];
  }
};

describe('the admin token', () => {
  it('is made once, 64 hex characters, readable by its owner only', () => {
    const path = join(root, 'token', 'admin-token');
    const token = ensureAdminToken(path);
    assert.match(token, /^[0-9a-f]{64}$/);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.equal(ensureAdminToken(path), token);
  });
});

describe('FlagControl', () => {
  it('switches a scenario on and off, one audit record per accepted change with who, when, old and new', () => {
    const { control: flags, auditFile, token } = control();
    const on = flags.switch(token, 'cli:trainer', 'payment-failure', true, { rate: 0.3 });
    assert.ok(on);
    assert.equal(flags.list().find((e) => e.scenario === 'payment-failure')?.setting.on, true);
    assert.equal(
      flags.switch(token, 'cli:trainer', 'payment-failure', true, { rate: 0.3 }),
      undefined,
      'no change',
    );
    flags.switch(token, 'cli:trainer', 'catalog-slow', true);
    const off = flags.allOff(token, 'cli:trainer');
    assert.equal(off.length, 2);
    const records = auditOf(auditFile);
    assert.equal(records.length, 4);
    assert.deepEqual(records[0]?.old, { on: false, values: { rate: 0.5 } });
    assert.deepEqual(records[0]?.new, { on: true, values: { rate: 0.3 } });
    assert.equal(records[0]?.actor, 'cli:trainer');
    assert.ok(!Number.isNaN(Date.parse(records[0]?.time ?? '')));
    assert.ok(flags.list().every((e) => !e.setting.on));
  });

  it('refuses a change without the token (401) or with a wrong one (403), and changes nothing', () => {
    const { control: flags, flagsFile, auditFile } = control();
    const before = readFileSync(flagsFile, 'utf8');
    assert.throws(
      () => flags.switch(undefined, 'x', 'payment-failure', true),
      (e) => e instanceof FlagAccessError && e.status === 401,
    );
    assert.throws(
      () => flags.switch('0'.repeat(64), 'x', 'payment-failure', true),
      (e) => e instanceof FlagAccessError && e.status === 403,
    );
    assert.throws(() => flags.allOff('', 'x'), FlagAccessError);
    assert.equal(readFileSync(flagsFile, 'utf8'), before);
    assert.deepEqual(auditOf(auditFile), []);
  });

  it('refuses bad input with a clear error and changes nothing', () => {
    const { control: flags, flagsFile, auditFile, token } = control();
    const before = readFileSync(flagsFile, 'utf8');
    const refused = (scenario: string, values: Record<string, number | string>, pattern: RegExp) =>
      assert.throws(
        () => flags.switch(token, 'x', scenario, true, values),
        (e) => e instanceof FlagInputError && pattern.test(e.message),
      );
    refused('payment-explodes', {}, /unknown scenario "payment-explodes"; known: payment-failure/);
    refused('payment-failure', { rate: 2 }, /rate must be between 0 and 1/);
    refused('catalog-slow', { 'delay-ms': -5 }, /delay-ms must be between 0 and 60000/);
    refused('catalog-slow', { rate: 0.5 }, /takes no parameter "rate" \(it takes delay-ms\)/);
    refused('product-drained', { product: 'x; drop' }, /product must match/);
    refused(
      'login-brute-force',
      { 'attempts-per-second': 500 },
      /attempts-per-second must be between 1 and 200/,
    );
    assert.equal(readFileSync(flagsFile, 'utf8'), before);
    writeFileSync(flagsFile, '{ "flags": ');
    assert.throws(() => flags.switch(token, 'x', 'payment-failure', true), /the flags file is not JSON/);
    assert.deepEqual(auditOf(auditFile), []);
  });
});
