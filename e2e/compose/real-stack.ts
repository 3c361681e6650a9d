import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { CI_IMAGES } from './ci-images.js';
import type { DockerEngine } from './docker-engine.js';
import { ROOT } from './stack-files.js';

const run = promisify(execFile);

/** The build context of the shop image: the committed tree (HEAD), unless a folder is given. */
export async function shopContext(dir: string): Promise<string> {
  const given = process.env.GLASSHOUSE_E2E_CONTEXT?.trim();
  if (given) return given;
  const context = join(dir, 'context');
  mkdirSync(context, { recursive: true });
  const archive = join(dir, 'head.tar');
  await run('git', ['archive', '--format=tar', `--output=${archive}`, 'HEAD'], { cwd: ROOT });
  await run('tar', ['-xf', archive, '-C', context]);
  rmSync(archive);
  return context;
}

/** The override file of the real run: the official images' names swapped for the stand-ins, nothing else. */
export function writeImageOverride(path: string): void {
  const services = Object.fromEntries(Object.entries(CI_IMAGES).map(([name, image]) => [name, { image }]));
  writeFileSync(path, stringify({ services }));
}

/** docker-compose 1.29 over the real layers plus the override, as one project of the engine. */
export class ComposeProject {
  constructor(
    private readonly engine: DockerEngine,
    readonly name: string,
    private readonly files: readonly string[],
    private readonly env: Readonly<Record<string, string>>,
  ) {}

  async run(args: readonly string[], timeoutMs = 300_000): Promise<string> {
    const files = this.files.flatMap((file) => ['-f', file]);
    const { stdout } = await run('docker-compose', ['--ansi', 'never', '-p', this.name, ...files, ...args], {
      cwd: ROOT,
      env: { ...this.engine.env, ...this.env },
      timeout: timeoutMs,
      maxBuffer: 64 * 2 ** 20,
    });
    return stdout;
  }

  /** The container id of a service. */
  async container(service: string): Promise<string> {
    const id = (await this.run(['ps', '-q', service])).trim();
    if (!id) throw new Error(`no container for ${service}`);
    return id;
  }

  /** The health Docker reports for a service's container: healthy, starting, unhealthy or none. */
  async health(service: string): Promise<string> {
    const id = await this.container(service);
    return this.engine.docker([
      'inspect',
      '--format',
      '{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}',
      id,
    ]);
  }

  /** The last lines each service logged, for a failure's message. */
  async logs(services: readonly string[], lines = 15): Promise<string> {
    return this.run(['logs', '--no-color', '--tail', String(lines), ...services]).catch((error: unknown) =>
      String(error),
    );
  }

  /** psql inside the postgres container, as the stack's owner user; tuples only. */
  async psql(database: string, sql: string): Promise<string> {
    return (
      await this.run(['exec', '-T', 'postgres', 'psql', '-U', 'glasshouse', '-d', database, '-Atc', sql])
    ).trim();
  }
}

/** Unmounts whatever the engine left mounted under `dir`, then removes it. */
export async function removeEngineDir(dir: string): Promise<void> {
  const mounts = readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[1] ?? '')
    .filter((point) => point.startsWith(dir))
    .sort((a, b) => b.length - a.length);
  for (const point of mounts) await run('umount', ['-l', point]).catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
}
