import { join } from 'node:path';
import { runGameDay } from './gameday.js';

/** `npm run gameday -- [--seed n] [--reveal]`: switches on hidden failures, or reveals them. */
process.exitCode = runGameDay(process.argv.slice(2), {
  root: join(__dirname, '..', '..', '..'),
  env: process.env,
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
