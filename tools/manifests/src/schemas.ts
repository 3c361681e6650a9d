import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { Ajv } from 'ajv';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { CronJob } from 'kubernetes-models/batch/v1/CronJob';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { Rendered } from './kustomize.js';
import { CNPG_API } from './production.js';

interface Validating {
  validate(): void;
}
type ModelConstructor = new (data: never) => Validating;

/** The Kubernetes and prometheus-operator models, by `apiVersion/kind`. */
const MODELS: ReadonlyMap<string, ModelConstructor> = new Map(
  (
    [
      ['apps/v1', 'Deployment', Deployment],
      ['apps/v1', 'StatefulSet', StatefulSet],
      ['autoscaling/v2', 'HorizontalPodAutoscaler', HorizontalPodAutoscaler],
      ['batch/v1', 'CronJob', CronJob],
      ['batch/v1', 'Job', Job],
      ['networking.k8s.io/v1', 'Ingress', Ingress],
      ['networking.k8s.io/v1', 'NetworkPolicy', NetworkPolicy],
      ['policy/v1', 'PodDisruptionBudget', PodDisruptionBudget],
      ['v1', 'ConfigMap', ConfigMap],
      ['v1', 'Namespace', Namespace],
      ['v1', 'PersistentVolumeClaim', PersistentVolumeClaim],
      ['v1', 'Secret', Secret],
      ['v1', 'Service', Service],
      ['v1', 'ServiceAccount', ServiceAccount],
      ['monitoring.coreos.com/v1', 'PrometheusRule', PrometheusRule],
      ['monitoring.coreos.com/v1', 'ServiceMonitor', ServiceMonitor],
    ] as const
  ).map(([apiVersion, kind, model]) => [`${apiVersion}/${kind}`, model as unknown as ModelConstructor]),
);

const quantity = { type: ['string', 'number'] };
const resources = {
  type: 'object',
  additionalProperties: false,
  properties: {
    requests: { type: 'object', additionalProperties: quantity },
    limits: { type: 'object', additionalProperties: quantity },
  },
};
const metadata = {
  type: 'object',
  required: ['name', 'namespace'],
  properties: {
    name: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' },
    namespace: { type: 'string' },
  },
};

/**
 * CloudNativePG's Cluster and Database, for the fields we set: written from the operator's API
 * reference (postgresql.cnpg.io/v1), closed to unknown fields so a misspelt key fails.
 */
const CNPG_SCHEMAS = {
  Cluster: {
    type: 'object',
    required: ['apiVersion', 'kind', 'metadata', 'spec'],
    properties: {
      apiVersion: { const: CNPG_API },
      kind: { type: 'string' },
      metadata,
      spec: {
        type: 'object',
        additionalProperties: false,
        required: ['instances', 'storage'],
        properties: {
          instances: { type: 'integer', minimum: 1 },
          imageName: { type: 'string', pattern: ':[0-9][^:]*$' },
          primaryUpdateStrategy: { enum: ['unsupervised', 'supervised'] },
          inheritedMetadata: {
            type: 'object',
            additionalProperties: false,
            properties: {
              labels: { type: 'object', additionalProperties: { type: 'string' } },
              annotations: { type: 'object', additionalProperties: { type: 'string' } },
            },
          },
          bootstrap: {
            type: 'object',
            additionalProperties: false,
            properties: {
              initdb: {
                type: 'object',
                additionalProperties: false,
                required: ['database', 'owner'],
                properties: {
                  database: { type: 'string' },
                  owner: { type: 'string' },
                  secret: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
                },
              },
            },
          },
          storage: {
            type: 'object',
            required: ['size'],
            properties: {
              size: { type: 'string', pattern: '^[0-9]+[KMGT]i$' },
              storageClass: { type: 'string' },
            },
          },
          resources,
          affinity: {
            type: 'object',
            properties: { enablePodAntiAffinity: { type: 'boolean' }, topologyKey: { type: 'string' } },
          },
          monitoring: { type: 'object', properties: { enablePodMonitor: { type: 'boolean' } } },
        },
      },
    },
  },
  Database: {
    type: 'object',
    required: ['apiVersion', 'kind', 'metadata', 'spec'],
    properties: {
      apiVersion: { const: CNPG_API },
      kind: { type: 'string' },
      metadata,
      spec: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'owner', 'cluster'],
        properties: {
          name: { type: 'string' },
          owner: { type: 'string' },
          cluster: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
          ensure: { enum: ['present', 'absent'] },
        },
      },
    },
  },
} as const;

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
const cnpg = {
  Cluster: ajv.compile(CNPG_SCHEMAS.Cluster),
  Database: ajv.compile(CNPG_SCHEMAS.Database),
};

/** Problems with one rendered object; empty when its schema accepts it. */
export function schemaProblems(object: Rendered): string[] {
  const id = `${object.kind}/${object.metadata.name}`;
  if (object.apiVersion === CNPG_API && (object.kind === 'Cluster' || object.kind === 'Database')) {
    const validate = cnpg[object.kind];
    return validate(object)
      ? []
      : (validate.errors ?? []).map((e) => `${id}: ${e.instancePath} ${e.message ?? ''}`);
  }
  const Model = MODELS.get(`${object.apiVersion}/${object.kind}`);
  if (!Model) return [`${id}: no schema for ${object.apiVersion} ${object.kind}`];
  try {
    new Model(object as never).validate();
    return [];
  } catch (error) {
    return [`${id}: ${error instanceof Error ? error.message : String(error)}`];
  }
}
