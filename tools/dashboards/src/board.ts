import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';

/** A dashboard as generated, and where it goes under deploy/grafana/dashboards. */
export interface Board {
  /** The Grafana folder (a directory, with foldersFromFilesStructure). */
  readonly folder: 'Shop' | 'Business' | 'Platform';
  /** The file name inside the folder, such as `overview.json`. */
  readonly file: string;
  readonly dashboard: dashboard.Dashboard;
  /**
   * Titles of panels that only have data on Kubernetes (kube-state-metrics, cAdvisor): checked
   * statically everywhere, for data only on a cluster.
   */
  readonly clusterOnly: readonly string[];
}

/** A row of panels, open unless said otherwise. */
export interface Section {
  readonly title: string;
  readonly panels: readonly cog.Builder<dashboard.Panel>[];
  readonly collapsed?: boolean;
}

export interface BoardOptions {
  readonly folder: Board['folder'];
  readonly file: string;
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly variables?: readonly cog.Builder<dashboard.VariableModel>[];
  readonly annotations?: readonly cog.Builder<dashboard.AnnotationQuery>[];
  readonly links?: readonly cog.Builder<dashboard.DashboardLink>[];
  readonly sections: readonly Section[];
  readonly clusterOnly?: readonly string[];
  /** The default time range, `now-1h` unless said. */
  readonly from?: string;
}

/** Links every Glasshouse dashboard shows at the top: the others, by tag. */
export function shopLinks(): dashboard.DashboardLinkBuilder {
  return new dashboard.DashboardLinkBuilder('Glasshouse')
    .type(dashboard.DashboardLinkType.Dashboards)
    .tags(['glasshouse'])
    .asDropdown(true)
    .includeVars(false)
    .keepTime(true);
}

/** Built-in annotations (Grafana's own), which every dashboard keeps. */
function builtInAnnotations(): dashboard.AnnotationQueryBuilder {
  return new dashboard.AnnotationQueryBuilder()
    .name('Annotations & Alerts')
    .datasource({ type: 'grafana', uid: '-- Grafana --' })
    .enable(true)
    .hide(true)
    .iconColor('rgba(0, 211, 255, 1)')
    .type('dashboard')
    .builtIn(1);
}

/**
 * Builds a dashboard from rows of panels, then gives every panel an id and every query a refId
 * (A, B, …), and puts open rows' panels after their row as Grafana expects.
 */
export function buildBoard(options: BoardOptions): Board {
  const builder = new dashboard.DashboardBuilder(options.title)
    .uid(options.uid)
    .description(options.description)
    .tags(['glasshouse', ...options.tags])
    .editable()
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .refresh('30s')
    .time({ from: options.from ?? 'now-1h', to: 'now' })
    .timezone('browser')
    .links([shopLinks(), ...(options.links ?? [])])
    .annotations([builtInAnnotations(), ...(options.annotations ?? [])])
    .variables([...(options.variables ?? [])]);
  for (const section of options.sections) {
    // withPanel marks the row collapsed; whether it is open is settled below.
    const row = new dashboard.RowBuilder(section.title);
    for (const panel of section.panels) row.withPanel(panel);
    builder.withRow(row);
  }
  const built = builder.build();
  let nextId = 1;
  let section = 0;
  const panels: (dashboard.Panel | dashboard.RowPanel)[] = [];
  for (const entry of built.panels ?? []) {
    if (entry.type !== 'row') {
      panels.push(numbered(entry, nextId++));
      continue;
    }
    const row = entry as dashboard.RowPanel;
    const inner = (row.panels ?? []).map((panel) => numbered(panel, nextId++));
    row.id = nextId++;
    row.collapsed = options.sections[section++]?.collapsed ?? false;
    if (row.collapsed) {
      row.panels = inner;
      panels.push(row);
    } else {
      row.panels = [];
      panels.push(row, ...inner);
    }
  }
  built.panels = panels;
  return {
    folder: options.folder,
    file: options.file,
    dashboard: built,
    clusterOnly: options.clusterOnly ?? [],
  };
}

function numbered(panel: dashboard.Panel, id: number): dashboard.Panel {
  panel.id = id;
  panel.targets = (panel.targets ?? []).map((target, i) => ({
    ...target,
    refId: String.fromCharCode(65 + i),
  }));
  return panel;
}
