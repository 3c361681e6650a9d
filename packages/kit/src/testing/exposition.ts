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

const SAMPLE = /^(\w+)(?:\{([^}]*)\})? (\S+)$/;

/**
 * The value of the sample `name{labels}` in exposition text, its labels exactly these (in any order);
 * undefined when there is no such sample.
 */
export function metricSample(
  exposition: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const wanted = Object.entries(labels);
  for (const line of exposition.split('\n')) {
    const match = SAMPLE.exec(line);
    if (match?.[1] !== name || match[3] === undefined) continue;
    const found = labelsOf(match[2] ?? '');
    if (Object.keys(found).length === wanted.length && wanted.every(([key, value]) => found[key] === value))
      return Number(match[3]);
  }
  return undefined;
}
