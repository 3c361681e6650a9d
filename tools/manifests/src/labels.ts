/** Labels every object of ours carries; selectors use only the name. */
export function labels(name: string, component = 'service'): Record<string, string> {
  return {
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/part-of': 'glasshouse',
    'app.kubernetes.io/component': component,
  };
}

export function selector(name: string): Record<string, string> {
  return { 'app.kubernetes.io/name': name };
}
