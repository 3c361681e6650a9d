import { runFaultCommand, terminalIo } from './cli.js';

/** `npm run fault -- <command>`: lists and switches the failure scenarios of the local shop. */
process.exitCode = runFaultCommand(process.argv.slice(2), terminalIo());
