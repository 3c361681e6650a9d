import { join } from 'node:path';
import { ruleFiles } from './catalogue.js';
import { renderAlertingDoc } from './docs.js';
import { renderRuleFile, renderTestFile } from './render.js';
import { SLOS } from './slos.js';

/** Every generated file, by path relative to the repository root, with its content. */
export function generatedFiles(): Map<string, string> {
  const files = new Map<string, string>();
  const rules = ruleFiles();
  for (const file of rules) {
    files.set(join('deploy', 'prometheus', 'rules', `${file.name}.yml`), renderRuleFile(file));
    files.set(join('deploy', 'prometheus', 'tests', `${file.name}.test.yml`), renderTestFile(file));
  }
  files.set(join('docs', 'alerting.md'), renderAlertingDoc(rules, SLOS));
  return files;
}
