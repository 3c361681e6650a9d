import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Programs the runner starts when it finds them on PATH. */
export const OBSERVABILITY_PROGRAMS = [
  'prometheus',
  'prometheus-alertmanager',
  'alertmanager',
  'promtool',
  'prometheus-node-exporter',
  'prometheus-postgres-exporter',
  'prometheus-redis-exporter',
  'grafana',
  'grafana-server',
];

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * PATH without the folders that hold any of `programs`: a runner started with it finds none of
 * them (by default Prometheus and Alertmanager, so it starts neither).
 */
export function pathWithout(
  programs: readonly string[] = OBSERVABILITY_PROGRAMS,
  path: string | undefined = process.env.PATH,
): string {
  return (path ?? '')
    .split(delimiter)
    .filter((dir) => dir !== '' && !programs.some((name) => executable(join(dir, name))))
    .join(delimiter);
}
