import { IMAGES } from './images.js';
import type { ComposeLayer } from './model.js';
import { ENV_FILE, mebibytes, variable } from './model.js';

/** deploy/compose/k6.yaml: k6 running deploy/k6/shop.ts against the frontend, then exiting. */
export function k6Layer(): ComposeLayer {
  return {
    file: 'k6.yaml',
    summary: 'extras: k6 drives the shop with deploy/k6/shop.ts (its journeys come from services/loadgen)',
    content: {
      services: {
        k6: {
          image: IMAGES.k6,
          // The script imports the load generator's journey table, so the repository is mounted.
          command: ['run', '/glasshouse/deploy/k6/shop.ts'],
          working_dir: '/glasshouse',
          env_file: [ENV_FILE],
          environment: {
            LOADGEN_TARGET_URL: 'http://frontend:8080',
            LOADGEN_SHOPPERS: variable('K6_SHOPPERS', '20'),
            LOADGEN_DURATION_S: variable('K6_DURATION_S', '600'),
          },
          volumes: ['../..:/glasshouse:ro'],
          depends_on: { frontend: { condition: 'service_healthy' } },
          restart: 'no',
          mem_limit: mebibytes(256),
          cpus: 1,
        },
      },
    },
  };
}

/**
 * deploy/compose/vendors.yaml: the Collector also exports to Datadog and New Relic. Compose
 * refuses to start this layer until both keys are set, so no pipeline waits on a missing key.
 */
export function vendorsLayer(): ComposeLayer {
  return {
    file: 'vendors.yaml',
    summary:
      'extras: Datadog and New Relic exporters in the Collector (needs DD_API_KEY and NEW_RELIC_LICENSE_KEY)',
    content: {
      services: {
        'otel-collector': {
          command: ['--config=/etc/otelcol/config.yaml', '--config=/etc/otelcol/vendors.yaml'],
          environment: {
            DD_API_KEY: '${DD_API_KEY:?set DD_API_KEY to use the vendors layer}',
            DD_SITE: variable('DD_SITE', 'datadoghq.com'),
            NEW_RELIC_LICENSE_KEY:
              '${NEW_RELIC_LICENSE_KEY:?set NEW_RELIC_LICENSE_KEY to use the vendors layer}',
            NEW_RELIC_OTLP_ENDPOINT: variable('NEW_RELIC_OTLP_ENDPOINT', 'https://otlp.nr-data.net'),
          },
        },
      },
    },
  };
}
