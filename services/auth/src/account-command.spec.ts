import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auth } from '@glasshouse/contracts';
import type { TestStore } from '@glasshouse/kit/testing';
import { openPgliteStore } from '@glasshouse/kit/testing';
import type { AccountCommandIo } from './account-command.js';
import { runAccountCommand } from './account-command.js';
import type { RunningAuth } from './spec-support.js';
import { BOOTSTRAP_TOKEN, startAuth } from './spec-support.js';

describe('npm run account -- create-admin', () => {
  let store: TestStore;
  let service: RunningAuth;
  let root: string;
  let address: string;

  const run = async (args: string[], env: Record<string, string> = {}) => {
    const out: string[] = [];
    const err: string[] = [];
    const io: AccountCommandIo = {
      root,
      env: { AUTH_ADDR: address, ...env },
      out: (line) => out.push(line),
      err: (line) => err.push(line),
    };
    return { code: await runAccountCommand(args, io), out, err };
  };

  before(async () => {
    store = await openPgliteStore('auth');
    service = await startAuth(store);
    address = service.address;
    root = mkdtempSync(join(tmpdir(), 'account-command-'));
  });
  after(async () => {
    await service.stop();
    await store.dispose();
    rmSync(root, { recursive: true, force: true });
  });

  it('refuses to guess: no bootstrap token file means start the shop first', async () => {
    const { code, err } = await run(['create-admin', '--email', 'root@example.com', '--name', 'Root']);
    assert.equal(code, 2);
    assert.match(err[0] ?? '', /no var\/admin-token: start the shop once \(npm start\), or pass --token/);
  });

  it("signs up an admin with var/admin-token, printing a generated password once; again, it keeps the account's password", async () => {
    mkdirSync(join(root, 'var'), { recursive: true });
    writeFileSync(join(root, 'var', 'admin-token'), `${BOOTSTRAP_TOKEN}\n`);
    const first = await run(['create-admin', '--email', 'Root@Example.com', '--name', 'Root']);
    assert.equal(first.code, 0, first.err.join('\n'));
    assert.equal(first.out[0], 'root@example.com is an admin (new account)');
    const password = /^password \(shown once, keep it\): (\S{24})$/.exec(first.out[1] ?? '')?.[1];
    assert.ok(password, first.out.join('\n'));
    const login = await service.client.login({ email: 'root@example.com', password, clientAddress: '' });
    assert.equal(login.customer?.role, auth.Role.ROLE_ADMIN);

    const again = await run(['create-admin', '--email', 'root@example.com', '--name', 'Root']);
    assert.equal(again.code, 0);
    assert.deepEqual(again.out, ['root@example.com is an admin (existing account, password unchanged)']);
    await service.client.login({ email: 'root@example.com', password, clientAddress: '' });
  });

  it('takes --password and a token from GLASSHOUSE_ADMIN_TOKEN, and reports refusals', async () => {
    const given = await run(
      ['create-admin', '--email', 'ops@example.com', '--name', 'Ops', '--password', 'a long passphrase'],
      {
        GLASSHOUSE_ADMIN_TOKEN: BOOTSTRAP_TOKEN,
      },
    );
    assert.deepEqual(given.out, ['ops@example.com is an admin (new account)']);
    const wrongToken = await run([
      'create-admin',
      '--email',
      'x@example.com',
      '--name',
      'X',
      '--token',
      'nope',
    ]);
    assert.equal(wrongToken.code, 1);
    assert.match(wrongToken.err[0] ?? '', /^account: actor_token: the token is unknown/);
    const short = await run([
      'create-admin',
      '--email',
      'y@example.com',
      '--name',
      'Y',
      '--password',
      'short',
    ]);
    assert.equal(short.code, 1);
    assert.match(short.err[0] ?? '', /^account: password: shorter than 8 characters$/);
    const usage = await run(['make-admin']);
    assert.equal(usage.code, 2);
    assert.match(usage.err[0] ?? '', /unknown command "make-admin"/);
  });
});
