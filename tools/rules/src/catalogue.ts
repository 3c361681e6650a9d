import { BROWSER_ALERTS } from './alerts-browser.js';
import { MONITORING_ALERTS } from './alerts-monitoring.js';
import { RUNTIME_ALERTS, WATCHDOG } from './alerts-runtime.js';
import { SERVICE_ALERTS } from './alerts-services.js';
import { SHOP_ALERTS } from './alerts-shop.js';
import type { RuleFile, TestedAlert } from './model.js';
import { sloRuleFile } from './slo-rules.js';
import { SLOS } from './slos.js';

/** A file of cause-side alerts, one group, each alert tested on its own. */
function alertFile(name: string, alerts: readonly TestedAlert[]): RuleFile {
  return {
    name,
    evaluationInterval: '15s',
    groups: [{ name, rules: alerts.map(({ cases: _, ...rule }) => rule) }],
    tests: alerts.map(({ cases, ...rule }) => ({ alert: rule.alert, rules: [rule], cases })),
  };
}

/** Every rule file Glasshouse ships, in the order they are written. */
export function ruleFiles(): RuleFile[] {
  return [
    ...SLOS.map(sloRuleFile),
    alertFile('services', SERVICE_ALERTS),
    alertFile('shop', SHOP_ALERTS),
    alertFile('browser', BROWSER_ALERTS),
    alertFile('runtime', RUNTIME_ALERTS),
    alertFile('monitoring', MONITORING_ALERTS),
    alertFile('watchdog', [WATCHDOG]),
  ];
}
