import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { ComposeFile } from './model.js';

/** The repository root. */
export const ROOT = join(__dirname, '..', '..');
export const COMPOSE_DIR = join(ROOT, 'deploy', 'compose');

export function readYaml(path: string): unknown {
  return parse(readFileSync(path, 'utf8')) as unknown;
}

/** Files of a folder with one of the extensions, as absolute paths, sorted. */
export function filesIn(dir: string, extensions: readonly string[]): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => extensions.some((extension) => name.endsWith(extension)))
    .sort()
    .map((name) => join(dir, name));
}

/** The variables a layer needs and refuses to default (the vendors' keys), with dummy values. */
export const REQUIRED_FOR_CONFIG: Readonly<Record<string, string>> = {
  DD_API_KEY: 'dummy-for-config',
  NEW_RELIC_LICENSE_KEY: 'dummy-for-config',
};

/** Runs docker-compose 1.29 from the repository root over the layers; returns its stdout. */
export function dockerCompose(
  layers: readonly string[],
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): string {
  const files = layers.flatMap((layer) => ['-f', join('deploy', 'compose', layer)]);
  return execFileSync('docker-compose', [...files, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...REQUIRED_FOR_CONFIG, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 60_000,
  });
}

/** The layers merged and interpolated by docker-compose 1.29 itself (`config`). */
export function mergedStack(layers: readonly string[]): ComposeFile {
  return parse(dockerCompose(layers, ['config'])) as ComposeFile;
}
