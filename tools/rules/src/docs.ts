import type { RuleFile } from './model.js';
import { isAlertRule } from './model.js';
import { BURN_ALERTS, budgetOf } from './slo-rules.js';
import type { Slo } from './slos.js';
import { SLO_WINDOWS } from './slos.js';

/** A summary template with its placeholders named: `<service>`, `<value>`. */
const readable = (template: string): string =>
  template.replace(/\{\{\s*\$labels\.(\w+)\s*\}\}/g, '<$1>').replace(/\{\{[^}]*\}\}/g, '<value>');

/** docs/alerting.md: what watches the shop, rendered from the same tables as the rules. */
export function renderAlertingDoc(files: readonly RuleFile[], slos: readonly Slo[]): string {
  const alerts = files.flatMap((file) =>
    file.groups.flatMap((g) => g.rules.filter(isAlertRule)).map((rule) => ({ file: file.name, rule })),
  );
  const recording = files.flatMap((f) => f.groups.flatMap((g) => g.rules)).length - alerts.length;
  const lines = [
    '# Alerting',
    '',
    '<!-- Generated from tools/rules by `npm run rules`; do not edit. -->',
    '',
    `Glasshouse ships ${alerts.length} alerting rules (${new Set(alerts.map((a) => a.rule.alert)).size} alert names) and ${recording} recording rules in \`deploy/prometheus/rules/\`, each alert with promtool tests in \`deploy/prometheus/tests/\` and a runbook in \`docs/runbooks/\`. Every alert carries \`severity\` (page, ticket, info) and \`service\`; Alertmanager (\`deploy/alertmanager/stack.yml\`) sends pages to the pager, tickets to chat and email, everything to a webhook and the Watchdog to a heartbeat. \`npm start\` loads the same rules and prints every alert on the terminal.`,
    '',
    '## Service-level objectives',
    '',
    `Recorded for each SLO: \`slo:sli_error:ratio_rate<window>\` (${SLO_WINDOWS.join(', ')}), \`slo:objective:ratio\` and \`slo:error_budget_remaining:ratio\`, labelled \`slo\` and \`service\`. Burn rate = error ratio ÷ (1 − objective).`,
    '',
    ...slos.map(
      (slo) =>
        `- **${slo.name}** (${slo.service}): ${Number((slo.objective * 100).toPrecision(6))} % — ${slo.promise}; budget ${budgetOf(slo)}; alert [${slo.alert}](runbooks/${slo.alert}.md).`,
    ),
    '',
    ...BURN_ALERTS.map(
      (burn) =>
        `- ${burn.severity}: ${burn.windows.map((w) => `${w.long} and ${w.short} over ${w.factor}×`).join(', or ')}, for ${burn.for}.`,
    ),
    '',
    '## Alerts',
    '',
    ...alerts.map(
      ({ file, rule }) =>
        `- [${rule.alert}](runbooks/${rule.alert}.md) — ${rule.severity}${rule.for ? `, for ${rule.for}` : ''}, \`${file}.yml\`: ${readable(rule.summary)}`,
    ),
    '',
    '## Tests',
    '',
    '- `node --conditions=development --import tsx --test tools/rules/src/rules.spec.ts`: the files match the tables, `promtool check rules` and `promtool test rules` pass, every alert has a severity, a runbook, a firing case, a near miss and a pending check, and every metric is in the telemetry registry.',
    '- `e2e/alerts-routing.spec.ts`: amtool, routes per severity, inhibition in a real Alertmanager, the embedded webhook.',
    '- `e2e/alerts-grafana.spec.ts`: the Grafana-managed rules over PostgreSQL, Prometheus and Loki.',
    '- `e2e/alerts.spec.ts`: the shop, Prometheus and Alertmanager for real, rules six times faster than real time; every rule healthy and nothing but the Watchdog firing under the default traffic, and four conditions (a killed service, declined cards, a drained product, a slow dependency) Pending → Firing → delivered → resolved.',
    '',
    '## Reusing the harness',
    '',
    '`e2e/support/alerting-stack.ts` starts what the end-to-end test uses, for any test that must see alerts (the failure scenarios among them): `startAlertingStack({ scraped, timeScale })` loads `deploy/prometheus/rules` into a real Prometheus scraping `scraped` every second, with every `for` and range window divided by `timeScale`, sends its alerts to a real Alertmanager with the embedded configuration, and records the deliveries in `stack.webhook.delivered`. `e2e/support/slow-link.ts` puts a delay in front of any dependency.',
    '',
  ];
  return lines.join('\n');
}
