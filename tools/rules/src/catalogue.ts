import type { RuleFile } from './model.js';
import { sloRuleFile } from './slo-rules.js';
import { SLOS } from './slos.js';

/** Every rule file Glasshouse ships, in the order they are written. */
export function ruleFiles(): RuleFile[] {
  return [...SLOS.map(sloRuleFile)];
}
