/**
 * The Prometheus configuration of an embedded run, derived from the service table: one
 * scrape job per service, alert rules from deploy/prometheus/rules, alerts to Alertmanager.
 */

/** What a scrape job needs of a service; a ServiceSpec fits as is. */
export interface ScrapedService {
  readonly name: string;
  readonly adminPort: number;
  /** Where the admin port is reached; 127.0.0.1 by default. */
  readonly adminHost?: string;
}

export interface PrometheusOptions {
  /** A Prometheus duration, such as `15s`. */
  readonly scrapeInterval: string;
  /** Rule files, as paths Prometheus can open (absolute, or relative to the config file). */
  readonly ruleFiles: readonly string[];
  /** Alertmanager's base URL, such as `http://127.0.0.1:9093`; no alerting section when absent. */
  readonly alertmanagerUrl?: string;
}

// Type aliases rather than interfaces, so that the config is assignable to toYaml's YamlValue.
export type ScrapeConfig = {
  readonly job_name: string;
  readonly metrics_path: string;
  readonly scheme: 'http';
  readonly static_configs: readonly {
    readonly targets: readonly string[];
    readonly labels: Readonly<Record<string, string>>;
  }[];
};

export type PrometheusConfig = {
  readonly global: {
    readonly scrape_interval: string;
    readonly evaluation_interval: string;
    readonly external_labels: Readonly<Record<string, string>>;
  };
  readonly rule_files: readonly string[];
  readonly alerting?: {
    readonly alertmanagers: readonly {
      readonly scheme: string;
      readonly path_prefix?: string;
      readonly static_configs: readonly { readonly targets: readonly string[] }[];
    }[];
  };
  readonly scrape_configs: readonly ScrapeConfig[];
};

export const NAMESPACE = 'glasshouse';

export function prometheusConfig(
  services: readonly ScrapedService[],
  options: PrometheusOptions,
): PrometheusConfig {
  const alertmanager = options.alertmanagerUrl ? new URL(options.alertmanagerUrl) : undefined;
  const pathPrefix = alertmanager && alertmanager.pathname !== '/' ? alertmanager.pathname : undefined;
  return {
    global: {
      scrape_interval: options.scrapeInterval,
      evaluation_interval: options.scrapeInterval,
      external_labels: { environment: 'embedded' },
    },
    rule_files: [...options.ruleFiles],
    ...(alertmanager && {
      alerting: {
        alertmanagers: [
          {
            scheme: alertmanager.protocol.replace(/:$/, ''),
            ...(pathPrefix && { path_prefix: pathPrefix }),
            static_configs: [{ targets: [alertmanager.host] }],
          },
        ],
      },
    }),
    scrape_configs: services.map((service) => ({
      job_name: service.name,
      metrics_path: '/metrics',
      scheme: 'http',
      static_configs: [
        {
          targets: [hostPort(service.adminHost ?? '127.0.0.1', service.adminPort)],
          labels: { service: service.name, namespace: NAMESPACE },
        },
      ],
    })),
  };
}

function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

type YamlValue =
  string | number | boolean | null | undefined | readonly YamlValue[] | { readonly [key: string]: YamlValue };

/**
 * Block-style YAML for plain data. Strings are double-quoted with JSON escapes, which YAML's
 * double-quoted scalars accept, so no value can be misread as another type.
 */
export function toYaml(value: YamlValue): string {
  return `${render(value, 0).join('\n')}\n`;
}

function render(value: YamlValue, indent: number): string[] {
  const pad = ' '.repeat(indent);
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${pad}[]`];
    return (value as readonly YamlValue[]).flatMap((item) => {
      if (isBlock(item)) {
        const [first = '', ...rest] = render(item, indent + 2);
        return [`${pad}- ${first.slice(indent + 2)}`, ...rest];
      }
      return [`${pad}- ${scalar(item)}`];
    });
  }
  if (isObject(value)) {
    const entries = Object.entries(value).filter(([, item]) => item !== undefined);
    if (entries.length === 0) return [`${pad}{}`];
    return entries.flatMap(([key, item]) => {
      const name = /^[A-Za-z_][\w.-]*$/.test(key) ? key : JSON.stringify(key);
      return isBlock(item)
        ? [`${pad}${name}:`, ...render(item, indent + 2)]
        : [`${pad}${name}: ${scalar(item)}`];
    });
  }
  return [`${pad}${scalar(value)}`];
}

function isObject(value: YamlValue): value is { readonly [key: string]: YamlValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A non-empty list or map, written on the lines below its key. */
function isBlock(value: YamlValue): boolean {
  if (Array.isArray(value)) return value.length > 0;
  return isObject(value) && Object.values(value).some((item) => item !== undefined);
}

function scalar(value: YamlValue): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return 'null';
  return Array.isArray(value) ? '[]' : '{}';
}
