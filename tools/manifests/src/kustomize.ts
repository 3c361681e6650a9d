import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';

const run = promisify(execFile);

/** An object as kustomize renders it: enough structure to walk, the rest left open. */
export interface Rendered {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Record<string, string>;
  };
  readonly [field: string]: unknown;
}

/** `kubectl kustomize DIR`, parsed. */
export async function kustomize(dir: string): Promise<Rendered[]> {
  const { stdout } = await run('kubectl', ['kustomize', dir], { maxBuffer: 64 * 1024 * 1024 });
  return parseAllDocuments(stdout).map((doc) => {
    if (doc.errors.length > 0) throw new Error(`${dir}: ${doc.errors[0]?.message ?? 'bad YAML'}`);
    return doc.toJS() as Rendered;
  });
}

/** Renders the base with the given components, through a throwaway kustomization in a temporary folder. */
export async function kustomizeWith(baseDir: string, components: readonly string[]): Promise<Rendered[]> {
  const dir = await mkdtemp(join(tmpdir(), 'glasshouse-kustomize-'));
  try {
    const lines = [
      'apiVersion: kustomize.config.k8s.io/v1beta1',
      'kind: Kustomization',
      'resources:',
      `  - ${relative(dir, baseDir)}`,
    ];
    if (components.length > 0) lines.push('components:', ...components.map((c) => `  - ${relative(dir, c)}`));
    await writeFile(join(dir, 'kustomization.yaml'), `${lines.join('\n')}\n`);
    return await kustomize(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
