import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type { Board } from '../board.js';
import { buildBoard } from '../board.js';
import { PROMETHEUS } from '../datasources.js';
import { higherIsBetter, lowerIsBetter, statPanel, timeSeries } from '../panels.js';
import { promQuery } from '../queries.js';
import { burnRate } from './overview.js';

/** The windows the SLO recording rules (issue 18) keep an error ratio for. */
export const SLO_WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d', '30d'] as const;

const SLO = 'slo="$slo"';

function sloVariable(): dashboard.QueryVariableBuilder {
  return new dashboard.QueryVariableBuilder('slo')
    .label('SLO')
    .description('The service level objective to show.')
    .datasource(PROMETHEUS)
    .query('label_values(slo:objective:ratio, slo)')
    .definition('label_values(slo:objective:ratio, slo)')
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc)
    .current({ text: 'shop-availability', value: 'shop-availability' });
}

/** One SLO: its objective, how fast it burns its budget over each window, and what is left. */
export function slosBoard(): Board {
  return buildBoard({
    folder: 'Shop',
    file: 'slos.json',
    uid: 'glasshouse-slos',
    title: 'Glasshouse / SLOs',
    description:
      'Per SLO (shop-availability, checkout-availability, checkout-latency, product-page-latency): ' +
      'the objective, the burn rate over each alerting window, and the error budget left over 30 days.',
    tags: ['slo'],
    variables: [sloVariable()],
    from: 'now-7d',
    sections: [
      {
        title: 'Status',
        panels: [
          statPanel({
            title: 'Objective',
            description: 'The share of good events the SLO promises over 30 days.',
            unit: 'percentunit',
            targets: [promQuery(`max(slo:objective:ratio{${SLO}})`)],
          }).decimals(2),
          statPanel({
            title: 'Error budget left',
            description:
              'The share of the 30-day error budget not yet spent: 1 − (30-day error ratio ÷ budget).',
            unit: 'percentunit',
            targets: [promQuery(`min(slo:error_budget_remaining:ratio{${SLO}})`)],
          }).thresholds(higherIsBetter(0, 0.25)),
          statPanel({
            title: 'Burn rate, last hour',
            description:
              'Error ratio over the last hour ÷ the error budget; 14.4 spends 2% of a 30-day budget in an hour.',
            unit: 'suffix:×',
            targets: [promQuery(`max(${burnRate('1h', SLO)})`)],
          }).thresholds(lowerIsBetter(1, 14.4)),
          statPanel({
            title: 'Error ratio, 30 days',
            description: 'Share of bad events over the SLO’s 30-day window.',
            unit: 'percentunit',
            targets: [promQuery(`max(slo:sli_error:ratio_rate30d{${SLO}})`)],
          }).decimals(3),
        ],
      },
      {
        title: 'Burn',
        panels: [
          timeSeries({
            title: 'Burn rate per window',
            description:
              'Error ratio ÷ error budget over every window the alerts use (5m to 30d). Above 1, the ' +
              'budget runs out before 30 days; multi-window alerts pair a long and a short window.',
            unit: 'suffix:×',
            targets: SLO_WINDOWS.map((window) => promQuery(`max(${burnRate(window, SLO)})`, window)),
            width: 24,
            height: 10,
          })
            .thresholds(lowerIsBetter(1, 14.4))
            .thresholdsStyle(
              new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Line),
            ),
          timeSeries({
            title: 'Error budget left over 30 days',
            description:
              'How the 30-day error budget has been spent: 1 is untouched, 0 spent, below 0 overspent.',
            unit: 'percentunit',
            targets: [promQuery(`min(slo:error_budget_remaining:ratio{${SLO}})`, 'budget left')],
            width: 12,
          }).timeFrom('30d'),
          timeSeries({
            title: 'Error ratio against the objective',
            description:
              'The error ratio over one hour and over 30 days, and the budget (1 − objective) they are held to.',
            unit: 'percentunit',
            targets: [
              promQuery(`max(slo:sli_error:ratio_rate1h{${SLO}})`, 'error ratio 1h'),
              promQuery(`max(slo:sli_error:ratio_rate30d{${SLO}})`, 'error ratio 30d'),
              promQuery(`max(1 - slo:objective:ratio{${SLO}})`, 'budget'),
            ],
            width: 12,
          }),
        ],
      },
    ],
  });
}
