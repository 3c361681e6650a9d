import type { ScenarioName } from '@glasshouse/kit';
import { SCENARIO_NAMES, markdownTable, scenarioSpec } from '@glasshouse/kit';
import type { Signature } from './answer-key.js';
import { ANSWER_KEY } from './answer-key.js';

const code = (text: string): string => `\`${text}\``;

function parametersOf(scenario: ScenarioName): string {
  const spec = scenarioSpec(scenario);
  const numbers = Object.entries(spec.parameters).map(
    ([name, p]) => `${code(`--${name}`)} ${p.min}–${p.max} ${p.unit} (default ${p.fallback}): ${p.meaning}`,
  );
  const targets = Object.entries(spec.targets ?? {}).map(
    ([name, t]) => `${code('--target')} (${name}, default ${code(t.fallback)}): ${t.meaning}`,
  );
  return [...numbers, ...targets].join('<br>') || 'none';
}

function section(scenario: ScenarioName, signature: Signature): string[] {
  const spec = scenarioSpec(scenario);
  const { promql, log, span } = signature;
  const attributes = Object.entries(span?.attributes ?? {})
    .map(([k, v]) => code(`${k}=${v}`))
    .join(', ');
  return [
    `### ${scenario}`,
    '',
    `${spec.summary} Where: **${spec.service}**. Switch on: ${code(`npm run fault -- on ${scenario}`)}.`,
    '',
    `**What the trainee should find.** ${signature.story}`,
    '',
    ...markdownTable(
      ['Signal', 'Signature'],
      [
        ['Parameters', parametersOf(scenario)],
        ['Metric (PromQL)', `${code(`${promql.expr} ${promql.op} ${promql.threshold}`)} — ${promql.meaning}`],
        [
          'Log event',
          log
            ? `${code(log.message)} from ${log.service}, fields ${log.fields.map(code).join(', ')}`
            : 'none: it fails silently',
        ],
        [
          'Span',
          span
            ? `${code(span.name)} in ${span.service}, status ${span.status}${attributes ? `, ${attributes}` : ''}${span.note ? ` (${span.note})` : ''}`
            : 'none: the spans are what goes missing',
        ],
        [
          'Alerts',
          signature.alerts
            .map(
              ({ alert, service, labels }) =>
                `[${alert}](runbooks/${alert}.md) on ${service}` +
                (labels
                  ? ` (${Object.entries(labels)
                      .map(([name, value]) => `${name}=${value}`)
                      .join(', ')})`
                  : ''),
            )
            .join(', ') || `none: ${signature.quiet ?? 'no rule covers it'}`,
        ],
        [
          'May follow',
          (signature.follows ?? [])
            .map(({ alert, service }) => `[${alert}](runbooks/${alert}.md) on ${service}`)
            .join(', ') || 'nothing else',
        ],
      ],
    ),
    '',
  ];
}

/** docs/faults.md: the answer key as a trainer hands it out. */
export function renderFaultsDoc(): string {
  const pending = SCENARIO_NAMES.flatMap((scenario) => {
    const entry = ANSWER_KEY[scenario];
    return 'pending' in entry
      ? [`- **${scenario}** — ${scenarioSpec(scenario).summary} Pending: ${entry.pending}.`]
      : [];
  });
  return [
    '# Failure scenarios and their answer key',
    '',
    '<!-- Generated from tools/faults/src/answer-key.ts and packages/kit/src/flags/scenarios.ts by `npm run faults`; do not edit. -->',
    '',
    'Each scenario is a flag in `deploy/flags/glasshouse.flagd.json` (flagd format), off by default. With the shop',
    'running (`npm start`), switch one with `npm run fault -- on <scenario> [--rate r] [--delay-ms d] [--target t]`,',
    'list them with `npm run fault -- list`, and switch everything off with `npm run fault -- off --all`. Every',
    'change needs the admin token (`var/admin-token`, found by the command on the machine that runs the shop;',
    'elsewhere `--token` or `GLASSHOUSE_ADMIN_TOKEN`) and is appended to `var/flags/audit.jsonl`.',
    'The shop’s admin page, `/admin` on the frontend, lists the same scenarios with a switch each: sign in at',
    '`/login` with an operator or admin account (`npm run account -- create-admin` makes the first); every switch',
    'is also recorded in the audit log admins read at `/admin/audit`. Scripts call `POST /admin/flags/<scenario>`',
    'with `Authorization: Bearer <token>` (the bootstrap token in `var/admin-token`, or an operator’s machine token',
    'from `/admin/tokens`) and a JSON body `{"on": true, "values": {"rate": 0.5}}`.',
    '',
    '### Where the shop runs in containers',
    '',
    'In the Compose and Kubernetes stacks no service reads a flags file: each syncs the flags from the flagd daemon',
    '(`FLAGD_HOST`) and evaluates them in process, so the frontend has no flags file to write and serves no',
    '`/admin` page (it is registered only with `FLAGS_FILE`). Operators switch scenarios by changing the file',
    'flagd serves, with the same command and the same checks:',
    '',
    '- **Compose** (`deploy/compose`): flagd serves the repository’s `deploy/flags` folder, mounted read-only.',
    '  On the Docker host, in the checkout the stack was started from, run',
    '  `npm run fault -- on payment-failure --rate 0.5 --flags-file deploy/flags/glasshouse.flagd.json`; flagd',
    '  sees the file change (a bind-mounted folder on a Linux host) and the services follow within a second.',
    '  `npm run fault -- off --all --flags-file deploy/flags/glasshouse.flagd.json` switches all off (the `on`',
    '  variants keep the last parameters; `npm run faults` writes the committed file back). The token is the',
    '  host’s `var/admin-token` and the audit trail its `var/flags/audit.jsonl`.',
    '- **Kubernetes** (component `flagd`): flagd serves the ConfigMap `flagd-flags` (key `glasshouse.flagd.json`),',
    '  mounted as a folder. Write the flags with the command to a local file, then replace the ConfigMap:',
    '  `cp deploy/flags/glasshouse.flagd.json /tmp/flags.json`,',
    '  `npm run fault -- on catalog-slow --flags-file /tmp/flags.json`, then',
    '  `kubectl -n microservices-demo create configmap flagd-flags --from-file=glasshouse.flagd.json=/tmp/flags.json --dry-run=client -o yaml | kubectl apply -f -`.',
    '  The kubelet refreshes the mounted file within its sync period (about a minute) and flagd streams the',
    '  change to every service. The audit record is the one the command appended locally; the cluster keeps',
    '  none of its own beyond the Kubernetes API audit log.',
    '',
    'For a game day, `npm run gameday -- --seed <n>` switches on scenarios at random without naming them (the',
    'same seed, the same scenarios); `npm run gameday -- --reveal` prints what it switched on and the signatures',
    'below. Every scenario with a signature may come up: traffic-surge shows in `loadgen_shoppers` and the request',
    'rates (it needs the load generator, on by default in `npm start`), trace-export-failure in the SDK',
    'exporter’s lost spans and TraceExportFailing. Only pending scenarios are left out. A game day switches its',
    'scenarios on hidden (`npm run fault -- on <scenario> --hidden` does the same): the flags file marks them, and',
    'the services keep them at 0 in `glasshouse_feature_flag_state` (so the load generator board’s “Failure flag',
    'changes” marks stay away) and log no “feature flag changed” line, so only the symptoms show. `npm run fault',
    '-- list` still says HIDDEN: it is the game master’s.',
    '',
    'Below, for each scenario: the PromQL that crosses its threshold, the log event, the span, and the alerts',
    'that fire, each linked to its runbook. Thresholds are those of the alert rules where an alert exists.',
    '',
    '## Summary',
    '',
    ...markdownTable(
      ['Scenario', 'Service', 'Alerts'],
      SCENARIO_NAMES.map((scenario) => {
        const entry = ANSWER_KEY[scenario];
        return [
          scenario,
          scenarioSpec(scenario).service,
          'pending' in entry
            ? `pending: ${entry.pending}`
            : entry.alerts.map((a) => a.alert).join(', ') || 'none',
        ];
      }),
    ),
    '',
    '## Scenarios',
    '',
    ...SCENARIO_NAMES.flatMap((scenario) => {
      const entry = ANSWER_KEY[scenario];
      return 'pending' in entry ? [] : section(scenario, entry);
    }),
    // Once every scenario has its signature, the section goes.
    ...(pending.length > 0 ? ['## Pending', '', ...pending, ''] : []),
  ].join('\n');
}
