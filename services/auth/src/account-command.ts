import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { status } from '@grpc/grpc-js';
import { auth } from '@glasshouse/contracts';
import type { Environment } from '@glasshouse/kit';
import { ServiceMetrics, createClient, dependencyAddress, envReader, isServiceError } from '@glasshouse/kit';
import { LOCAL_ADMIN_TOKEN_FILE } from '@glasshouse/kit/core';

/** Where the command reads and writes: the repository root, its environment, its terminal. */
export interface AccountCommandIo {
  readonly root: string;
  readonly env: Environment;
  out(line: string): void;
  err(line: string): void;
}

const USAGE = [
  'usage: npm run account -- create-admin --email <email> --name <name> [--password <password>]',
  '  signs the account up (a password is generated and shown once when none is given) and makes it an admin',
  'options: --token <bootstrap token> (else GLASSHOUSE_ADMIN_TOKEN, else var/admin-token)',
  'the auth service is reached at AUTH_ADDR, else 127.0.0.1:50057',
];

class UsageError extends Error {}

function parse(args: readonly string[]): { command: string | undefined; options: Map<string, string> } {
  const options = new Map<string, string>();
  let command: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (!arg.startsWith('--')) {
      if (command !== undefined) throw new UsageError(`unexpected "${arg}"`);
      command = arg;
      continue;
    }
    const [name, inline] = arg.slice(2).split('=', 2);
    const value = inline ?? args[++i];
    if (!name || value === undefined) throw new UsageError(`${arg} needs a value`);
    options.set(name, value);
  }
  return { command, options };
}

/** The bootstrap token: --token, GLASSHOUSE_ADMIN_TOKEN, or the file `npm start` made. */
function bootstrapToken(options: Map<string, string>, io: AccountCommandIo): string {
  const given = options.get('token') ?? envReader(io.env).optionalString('GLASSHOUSE_ADMIN_TOKEN');
  if (given) return given;
  const file = join(io.root, LOCAL_ADMIN_TOKEN_FILE);
  if (!existsSync(file))
    throw new UsageError(`no ${LOCAL_ADMIN_TOKEN_FILE}: start the shop once (npm start), or pass --token`);
  return readFileSync(file, 'utf8').trim();
}

/** Runs one `npm run account` command; returns the exit code (2 for usage, 1 for a refusal). */
export async function runAccountCommand(args: readonly string[], io: AccountCommandIo): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  let token: string;
  try {
    parsed = parse(args);
    if (parsed.command !== 'create-admin') throw new UsageError(`unknown command "${parsed.command ?? ''}"`);
    if (!parsed.options.get('email') || !parsed.options.get('name'))
      throw new UsageError('create-admin needs --email and --name');
    token = bootstrapToken(parsed.options, io);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`account: ${error.message}`);
    for (const line of USAGE) io.err(line);
    return 2;
  }
  const { options } = parsed;
  const email = options.get('email') ?? '';
  const generated = options.has('password') ? undefined : randomBytes(18).toString('base64url');
  const password = options.get('password') ?? generated ?? '';
  const address = dependencyAddress(envReader(io.env), 'auth');
  const client = createClient(auth.AuthServiceClient, auth.AuthServiceService, {
    address,
    metrics: new ServiceMetrics({ defaultMetrics: false }),
    deadlineMs: 10_000,
  });
  try {
    let created = true;
    try {
      await client.signUp({ email, password, name: options.get('name') ?? '', clientAddress: '' });
    } catch (error) {
      if (!isServiceError(error) || error.code !== status.ALREADY_EXISTS) throw error;
      created = false;
    }
    const { customer } = await client.setRole({
      actorToken: token,
      email,
      role: auth.Role.ROLE_ADMIN,
      clientAddress: '',
    });
    io.out(
      `${customer?.email ?? email} is an admin${created ? ' (new account)' : ' (existing account, password unchanged)'}`,
    );
    if (created && generated) io.out(`password (shown once, keep it): ${generated}`);
    return 0;
  } catch (error) {
    const reason = isServiceError(error) ? error.details || error.message : String(error);
    io.err(
      `account: ${reason}${isServiceError(error) && error.code === status.UNAVAILABLE ? ` (is the shop running? auth at ${address})` : ''}`,
    );
    return 1;
  } finally {
    client.close();
  }
}
