import { join } from 'node:path';
import { runAccountCommand } from './account-command.js';

/** `npm run account -- create-admin …`: makes the first admin of a running shop. */
void runAccountCommand(process.argv.slice(2), {
  root: join(__dirname, '..', '..', '..'),
  env: process.env,
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
}).then((code) => {
  process.exitCode = code;
});
