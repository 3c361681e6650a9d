import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';

/** Finding the Prometheus and Alertmanager binaries and the files they are given. */

const run = promisify(execFile);

export const PROMETHEUS_BINARIES = ['prometheus'] as const;
/** Debian ships Alertmanager as `prometheus-alertmanager`. */
export const ALERTMANAGER_BINARIES = ['prometheus-alertmanager', 'alertmanager'] as const;
export const INSTALL_HINT = 'apt-get install prometheus prometheus-alertmanager';

/** Written when deploy/alertmanager/alertmanager.yml is missing: every alert to the runner's log. */
export function minimalAlertmanagerConfig(webhookUrl: string): string {
  return [
    'route:',
    '  receiver: log',
    'receivers:',
    '  - name: log',
    '    webhook_configs:',
    `      - url: ${JSON.stringify(webhookUrl)}`,
    '        send_resolved: true',
    '',
  ].join('\n');
}

/** The first of `names` that is an executable file on PATH. */
export function findExecutable(
  names: readonly string[],
  pathVariable: string | undefined,
): string | undefined {
  const dirs = (pathVariable ?? '').split(delimiter).filter((dir) => dir !== '');
  for (const name of names) {
    for (const dir of dirs) {
      const candidate = join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here; keep looking
      }
    }
  }
  return undefined;
}

/** Every `*.yml` / `*.yaml` file of `dir`, sorted, as absolute paths; none when it is missing. */
export function findRuleFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.ya?ml$/.test(entry.name))
    .map((entry) => join(dir, entry.name))
    .sort();
}

/** promtool's complaint about a rule file, or undefined when it is valid. */
export async function ruleFileProblem(promtool: string, file: string): Promise<string | undefined> {
  try {
    await run(promtool, ['check', 'rules', file], { timeout: 15_000 });
    return undefined;
  } catch (error) {
    const stderr =
      typeof error === 'object' && error !== null && 'stderr' in error ? String(error.stderr) : '';
    const stdout =
      typeof error === 'object' && error !== null && 'stdout' in error ? String(error.stdout) : '';
    const text = `${stderr}\n${stdout}`.trim();
    return text === ''
      ? String(error)
      : text
          .split('\n')
          .filter((line) => line.trim() !== '')
          .slice(0, 3)
          .join('; ');
  }
}
