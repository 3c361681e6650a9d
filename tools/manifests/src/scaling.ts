import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { ServiceName } from '@glasshouse/kit/core';
import { labels, selector } from './labels.js';
import type { Workload } from './shop.js';
import { NAMESPACES } from './shop.js';

export interface ScalingRule {
  readonly min: number;
  readonly max: number;
  readonly cpuPercent: number;
}

/** Seed 001's frontend rule; the other stateless services scale on the same signal, less far. */
const SCALING: Partial<Record<ServiceName, ScalingRule>> = { frontend: { min: 2, max: 10, cpuPercent: 50 } };
const DEFAULT_SCALING: ScalingRule = { min: 1, max: 5, cpuPercent: 70 };

/** Services that scale out: every request-serving one (state lives in the stores); not the load generator. */
export function scaled(all: readonly Workload[]): Workload[] {
  return all.filter((w) => w.spec.protocol !== 'worker');
}

export function scalingRule(name: ServiceName): ScalingRule {
  return SCALING[name] ?? DEFAULT_SCALING;
}

export function autoscalers(all: readonly Workload[]): HorizontalPodAutoscaler[] {
  return scaled(all).map((w) => {
    const rule = scalingRule(w.name);
    return new HorizontalPodAutoscaler({
      metadata: { name: w.name, namespace: NAMESPACES.shop, labels: labels(w.name, 'autoscaling') },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: w.name },
        minReplicas: rule.min,
        maxReplicas: rule.max,
        metrics: [
          {
            type: 'Resource',
            resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: rule.cpuPercent } },
          },
        ],
        // Scale in slowly, so a short lull in traffic does not drop pods that are needed again.
        behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
      },
    });
  });
}

/** At most one pod of a service away at a time during voluntary disruptions (node drains). */
export function disruptionBudgets(all: readonly Workload[]): PodDisruptionBudget[] {
  return scaled(all).map(
    (w) =>
      new PodDisruptionBudget({
        metadata: { name: w.name, namespace: NAMESPACES.shop, labels: labels(w.name, 'disruption-budget') },
        spec: { maxUnavailable: 1, selector: { matchLabels: selector(w.name) } },
      }),
  );
}
