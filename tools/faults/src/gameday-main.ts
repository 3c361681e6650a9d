import { terminalIo } from './cli.js';
import { runGameDay } from './gameday.js';

/** `npm run gameday -- [--seed n] [--reveal]`: switches on hidden failures, or reveals them. */
process.exitCode = runGameDay(process.argv.slice(2), terminalIo());
