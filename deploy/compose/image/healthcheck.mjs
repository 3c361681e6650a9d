// The image's HEALTHCHECK: GET /healthz on the admin port of the service this container runs,
// found from PID 1's arguments (start.mjs <service>) and the table, or <SERVICE>_ADMIN_ADDR.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { SERVICES, adminAddressVariable } = require('/app/packages/kit/dist/services.js');

const args = readFileSync('/proc/1/cmdline', 'utf8').split('\0').filter(Boolean);
const spec = SERVICES.find((s) => s.name === args.at(-1));
if (!spec) {
  process.stderr.write(`no service of the table in PID 1's arguments: ${args.join(' ')}\n`);
  process.exit(1);
}
const override = process.env[adminAddressVariable(spec.name)]?.trim();
const port = override ? Number(override.slice(override.lastIndexOf(':') + 1)) : spec.adminPort;
try {
  const response = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2000) });
  process.exit(response.ok ? 0 : 1);
} catch (error) {
  process.stderr.write(
    `${spec.name} admin port ${port}: ${error instanceof Error ? error.message : error}\n`,
  );
  process.exit(1);
}
