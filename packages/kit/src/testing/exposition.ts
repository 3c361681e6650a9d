/** One exemplar attached to a histogram bucket in OpenMetrics text. */
export interface ExemplarLine {
  metric: string;
  labels: Record<string, string>;
  exemplar: Record<string, string>;
}

const LINE = /^(\w+)\{([^}]*)\}\s+\S+\s+#\s+\{([^}]*)\}/;

function labelsOf(text: string): Record<string, string> {
  const pairs = [...text.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m): [string, string] => [
    m[1] ?? '',
    m[2] ?? '',
  ]);
  return Object.fromEntries(pairs);
}

/** Every exemplar in an OpenMetrics exposition, with its series labels. */
export function parseExemplars(exposition: string): ExemplarLine[] {
  const out: ExemplarLine[] = [];
  for (const line of exposition.split('\n')) {
    const match = LINE.exec(line);
    if (match?.[1] && match[2] !== undefined && match[3] !== undefined) {
      out.push({ metric: match[1], labels: labelsOf(match[2]), exemplar: labelsOf(match[3]) });
    }
  }
  return out;
}
