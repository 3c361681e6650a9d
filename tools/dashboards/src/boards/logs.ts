import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type { Board } from '../board.js';
import { buildBoard } from '../board.js';
import { LOKI } from '../datasources.js';
import { logLines, timeSeries } from '../panels.js';
import { lokiQuery } from '../queries.js';

/** Streams of the shop, narrowed to the chosen services (Loki labels: the pipeline's four only). */
const STREAMS = '{service_namespace="glasshouse", service_name=~"$service"}';
const ERRORS = '{service_namespace="glasshouse", service_name=~"$service", level=~"error|fatal"}';

function serviceVariable(): dashboard.QueryVariableBuilder {
  return new dashboard.QueryVariableBuilder('service')
    .label('Service')
    .description('Services whose logs to show.')
    .datasource(LOKI)
    .query({
      type: 1,
      label: 'service_name',
      stream: '{service_namespace="glasshouse"}',
      refId: 'LokiVariableQueryEditor-VariableQuery',
    })
    .definition('label_values({service_namespace="glasshouse"}, service_name)')
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true)
    .allValue('.+')
    .current({ text: 'All', value: '$__all' });
}

/** The shop's logs from Loki; every line with a trace_id links to its trace (a derived field). */
export function logsBoard(): Board {
  return buildBoard({
    folder: 'Platform',
    file: 'logs.json',
    uid: 'glasshouse-logs',
    title: 'Glasshouse / Logs',
    description:
      'Log volume by service and level, error lines, and every line of the chosen services. The ' +
      'Loki data source turns each line’s trace_id into a link to the trace.',
    tags: ['logs'],
    variables: [serviceVariable()],
    sections: [
      {
        title: 'Volume',
        panels: [
          timeSeries({
            title: 'Log lines by service',
            description: 'Lines logged per second, by service.',
            unit: 'short',
            datasource: LOKI,
            targets: [
              lokiQuery(`sum by (service_name) (rate(${STREAMS} [$__interval]))`, '{{service_name}}'),
            ],
            stacked: true,
          }),
          timeSeries({
            title: 'Log lines by level',
            description: 'Lines logged per second, by level (debug, info, warn, error, fatal).',
            unit: 'short',
            datasource: LOKI,
            targets: [lokiQuery(`sum by (level) (rate(${STREAMS} [$__interval]))`, '{{level}}')],
            stacked: true,
          }),
          timeSeries({
            title: 'Error lines by service',
            description: 'Lines at level error or fatal per second, by service.',
            unit: 'short',
            datasource: LOKI,
            targets: [
              lokiQuery(
                `sum by (service_name) (count_over_time(${ERRORS} [$__interval]))`,
                '{{service_name}}',
              ),
            ],
            width: 24,
          }),
        ],
      },
      {
        title: 'Lines',
        panels: [
          logLines({
            title: 'Errors',
            description: 'Lines at level error or fatal; open a line to follow its trace_id to the trace.',
            unit: 'short',
            datasource: LOKI,
            targets: [lokiQuery(`${ERRORS} | json`)],
          }),
          logLines({
            title: 'Lines with a trace',
            description:
              'Every line logged inside a trace by the chosen services; the trace_id field links to it.',
            unit: 'short',
            datasource: LOKI,
            targets: [lokiQuery(`${STREAMS} |= "trace_id" | json | trace_id != ""`)],
          }),
        ],
      },
    ],
  });
}
