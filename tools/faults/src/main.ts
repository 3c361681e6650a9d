import { join } from 'node:path';
import { runFaultCommand } from './cli.js';

/** `npm run fault -- <command>`: lists and switches the failure scenarios of the local shop. */
process.exitCode = runFaultCommand(process.argv.slice(2), {
  root: join(__dirname, '..', '..', '..'),
  env: process.env,
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
