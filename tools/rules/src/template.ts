/**
 * Renders the small subset of Prometheus' Go templates our annotations use, so the generated
 * unit tests can state the exact text an alert carries. An unknown construct throws: an
 * annotation the tests cannot predict is not allowed in.
 */

const ACTION = /\{\{\s*(.*?)\s*\}\}/g;

export function renderAnnotation(
  template: string,
  labels: Readonly<Record<string, string>>,
  value: number,
): string {
  return template.replace(ACTION, (_, body: string) => {
    const label = /^\$labels\.([A-Za-z_]\w*)$/.exec(body);
    if (label) return labels[label[1] ?? ''] ?? '';
    if (body === '$value') return goFloat(value);
    if (body === '$value | humanizePercentage') return `${goFloat(Number((value * 100).toPrecision(4)))}%`;
    const printf = /^\$value \| printf "%\.(\d)f"$/.exec(body);
    if (printf) return value.toFixed(Number(printf[1]));
    throw new Error(`annotation template not supported by the test renderer: {{ ${body} }}`);
  });
}

/** A float as Go's %v prints it, for the magnitudes alerts quote. */
function goFloat(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) < 1e21) return String(value);
  const text = String(value);
  return text.includes('e') ? text.replace(/e([+-])(\d)$/, 'e$10$2') : text;
}
