import * as bargauge from '@grafana/grafana-foundation-sdk/bargauge';
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as logs from '@grafana/grafana-foundation-sdk/logs';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import type { DataSourceRef } from './datasources.js';
import { PROMETHEUS } from './datasources.js';

/** What every panel of ours has: a title, a description, a unit, its data source and queries. */
export interface PanelOptions {
  readonly title: string;
  readonly description: string;
  /** A Grafana unit id: s, reqps, percentunit, bytes, short, … */
  readonly unit: string;
  readonly targets: readonly cog.Builder<cog.Dataquery>[];
  readonly datasource?: DataSourceRef;
  /** Grid columns out of 24. */
  readonly width?: number;
  readonly height?: number;
}

/** Traffic-light steps for a ratio where higher is better (budget left, availability). */
export function higherIsBetter(red: number, yellow: number): dashboard.ThresholdsConfigBuilder {
  return new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps([
    { value: null, color: 'red' },
    { value: red, color: 'yellow' },
    { value: yellow, color: 'green' },
  ]);
}

/** Traffic-light steps for a value where lower is better (error ratio, burn rate, lag). */
export function lowerIsBetter(yellow: number, red: number): dashboard.ThresholdsConfigBuilder {
  return new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps([
    { value: null, color: 'green' },
    { value: yellow, color: 'yellow' },
    { value: red, color: 'red' },
  ]);
}

interface CommonPanel<T> {
  title(title: string): T;
  description(description: string): T;
  unit(unit: string): T;
  datasource(datasource: DataSourceRef): T;
  targets(targets: cog.Builder<cog.Dataquery>[]): T;
  span(width: number): T;
  height(height: number): T;
}

function configure<T extends CommonPanel<T>>(
  panel: T,
  options: PanelOptions,
  width: number,
  height: number,
): T {
  return panel
    .title(options.title)
    .description(options.description)
    .unit(options.unit)
    .datasource(options.datasource ?? PROMETHEUS)
    .targets([...options.targets])
    .span(options.width ?? width)
    .height(options.height ?? height);
}

/** Lines over time, legend as a table with the mean and the last value. */
export function timeSeries(options: PanelOptions & { readonly stacked?: boolean }): timeseries.PanelBuilder {
  const panel = configure(new timeseries.PanelBuilder(), options, 12, 8)
    .lineWidth(1)
    .fillOpacity(options.stacked ? 30 : 8)
    .showPoints(common.VisibilityMode.Never)
    .legend(
      new common.VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(common.LegendDisplayMode.Table)
        .placement(common.LegendPlacement.Bottom)
        .calcs(['mean', 'lastNotNull']),
    )
    .tooltip(
      new common.VizTooltipOptionsBuilder()
        .mode(common.TooltipDisplayMode.Multi)
        .sort(common.SortOrder.Descending),
    );
  return options.stacked
    ? panel.stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal))
    : panel;
}

/** One big number per series, the last value. */
export function statPanel(options: PanelOptions): stat.PanelBuilder {
  return configure(new stat.PanelBuilder(), options, 6, 4)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
    .graphMode(common.BigValueGraphMode.Area)
    .colorMode(common.BigValueColorMode.Value);
}

/** Rows as they come from the query. */
export function tablePanel(options: PanelOptions): table.PanelBuilder {
  return configure(new table.PanelBuilder(), options, 12, 8).cellHeight(common.TableCellHeight.Sm);
}

/** Horizontal bars, one per row or series. */
export function barGauge(options: PanelOptions): bargauge.PanelBuilder {
  return configure(new bargauge.PanelBuilder(), options, 12, 10)
    .orientation(common.VizOrientation.Horizontal)
    .displayMode(common.BarGaugeDisplayMode.Gradient)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(true));
}

/** Log lines, newest first, with the fields of each JSON line a click away. */
export function logLines(options: PanelOptions): logs.PanelBuilder {
  return configure(new logs.PanelBuilder(), options, 24, 12)
    .showTime(true)
    .wrapLogMessage(true)
    .enableLogDetails(true)
    .prettifyLogMessage(false)
    .sortOrder(common.LogsSortOrder.Descending);
}
