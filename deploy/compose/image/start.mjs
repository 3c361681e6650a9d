// The image's entry point: `start.mjs <service>` runs services/<service>/dist/main.js in this
// process (signals reach the service directly), after checking the name against the table.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const ROOT = '/app';
// The table alone, so nothing an instrumentation patches is loaded before the service's register.
const { SERVICES } = require(join(ROOT, 'packages', 'kit', 'dist', 'services.js'));

const name = process.argv[2];
const known = SERVICES.filter((s) => s.implemented).map((s) => s.name);
if (!name || !known.includes(name)) {
  process.stderr.write(`usage: <service>, one of: ${known.join(', ')}\n`);
  process.exit(64);
}
const main = join(ROOT, 'services', name, 'dist', 'main.js');
// The kit names the service after the folder of process.argv[1] unless OTEL_SERVICE_NAME is set.
process.env.OTEL_SERVICE_NAME ||= name;
process.argv.splice(1, 2, main);
await import(pathToFileURL(main).href);
