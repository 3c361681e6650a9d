const cell = (text: string): string => text.replaceAll('|', '\\|').replace(/\s+/g, ' ').trim();

/** A Markdown table aligned the way Prettier writes it (cells on one line, runs of spaces as one), so a generated page passes `prettier --check`. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const [head = [], ...body] = [header, ...rows].map((cells) => cells.map(cell));
  const width = (text: string) => [...text].length;
  const widths = head.map((_, column) =>
    Math.max(3, ...[head, ...body].map((cells) => width(cells[column] ?? ''))),
  );
  const pad = (text: string, to: number) => text + ' '.repeat(to - width(text));
  const line = (cells: readonly string[]) =>
    `| ${widths.map((w, i) => pad(cells[i] ?? '', w)).join(' | ')} |`;
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)];
}
