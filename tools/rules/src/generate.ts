import { join } from 'node:path';
import { ruleFiles } from './catalogue.js';
import { renderRuleFile, renderTestFile } from './render.js';

/** Every generated file, by path relative to the repository root, with its content. */
export function generatedFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const file of ruleFiles()) {
    files.set(join('deploy', 'prometheus', 'rules', `${file.name}.yml`), renderRuleFile(file));
    files.set(join('deploy', 'prometheus', 'tests', `${file.name}.test.yml`), renderTestFile(file));
  }
  return files;
}
