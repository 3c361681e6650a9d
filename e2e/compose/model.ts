/**
 * The subset of the Compose specification the stack uses: keys that both Compose v2 and
 * docker-compose 1.29 accept (no top-level `name`, `mem_limit`/`cpus` rather than `deploy`).
 */

export type Healthcheck = {
  readonly test: readonly string[];
  readonly interval: string;
  readonly timeout: string;
  readonly retries: number;
  readonly start_period: string;
};

export type DependsOn = Readonly<
  Record<string, { readonly condition: 'service_started' | 'service_healthy' }>
>;

export type ComposeService = {
  readonly image?: string;
  readonly build?: { readonly context: string; readonly dockerfile: string };
  readonly entrypoint?: readonly string[];
  readonly command?: readonly string[];
  readonly user?: string;
  readonly working_dir?: string;
  readonly env_file?: readonly string[];
  readonly environment?: Readonly<Record<string, string>>;
  readonly ports?: readonly string[];
  readonly expose?: readonly string[];
  readonly volumes?: readonly string[];
  readonly tmpfs?: readonly string[];
  readonly depends_on?: DependsOn;
  readonly healthcheck?: Healthcheck;
  readonly restart?: 'no' | 'always' | 'on-failure' | 'unless-stopped';
  readonly mem_limit?: string;
  readonly cpus?: number;
  readonly read_only?: boolean;
  readonly cap_drop?: readonly string[];
  readonly security_opt?: readonly string[];
  readonly stop_grace_period?: string;
  readonly labels?: Readonly<Record<string, string>>;
};

export type ComposeFile = {
  readonly services: Readonly<Record<string, ComposeService>>;
  readonly volumes?: Readonly<Record<string, Record<string, never>>>;
};

/** A layer: one file under deploy/compose, what it is for, and its content. */
export interface ComposeLayer {
  readonly file: string;
  readonly summary: string;
  readonly content: ComposeFile;
}

/** Every value the stack takes from the environment, with its local default, as Compose writes it. */
export const variable = (name: string, localDefault: string): string => `\${${name}:-${localDefault}}`;

/** The env file every container reads: deploy/env/<GLASSHOUSE_ENV>.env (dev by default). */
export const ENV_FILE = `../env/${variable('GLASSHOUSE_ENV', 'dev')}.env`;

/** Published ports bind to loopback unless GLASSHOUSE_BIND says otherwise. */
export const published = (hostVariable: string, port: number): string =>
  `${variable('GLASSHOUSE_BIND', '127.0.0.1')}:${variable(hostVariable, String(port))}:${port}`;

/** Memory limits in MiB, written as Compose's `<n>m`; the sum of the stack is checked by a test. */
export const mebibytes = (size: number): string => `${size}m`;
