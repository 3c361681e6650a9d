/** One line of the table printed once everything is ready. */
export interface ReadyRow {
  readonly name: string;
  readonly protocol: string;
  readonly address: string;
  /** The metrics URL for a service; a UI or a note for the infrastructure. */
  readonly link: string;
}

export interface ReadySummary {
  readonly services: readonly ReadyRow[];
  /** Postgres, Prometheus, Alertmanager: shown under the services. */
  readonly infrastructure: readonly ReadyRow[];
  readonly shopUrl: string | undefined;
  readonly startupSeconds: number;
  /** Lines shown at the end (where logs go, what is missing). */
  readonly notes: readonly string[];
}

const HEADER: ReadyRow = { name: 'service', protocol: 'protocol', address: 'address', link: 'metrics' };

export function renderReadyTable(summary: ReadySummary): string {
  const all = [HEADER, ...summary.services, ...summary.infrastructure];
  const width = (pick: (row: ReadyRow) => string): number => Math.max(...all.map((row) => pick(row).length));
  const widths = [width((r) => r.name), width((r) => r.protocol), width((r) => r.address)];
  const line = (row: ReadyRow): string =>
    `  ${[row.name, row.protocol, row.address].map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ')}  ${row.link}`.trimEnd();
  const rule = `  ${'─'.repeat(widths.reduce((sum, w) => sum + w + 2, 0) + HEADER.link.length)}`;
  const lines = [
    '',
    `Glasshouse is ready in ${summary.startupSeconds.toFixed(1)} s`,
    '',
    line(HEADER),
    rule,
    ...summary.services.map(line),
  ];
  if (summary.infrastructure.length > 0) lines.push(rule, ...summary.infrastructure.map(line));
  lines.push('');
  if (summary.shopUrl) lines.push(`  shop: ${summary.shopUrl}`);
  lines.push(...summary.notes.map((note) => `  ${note}`), '');
  return lines.join('\n');
}
