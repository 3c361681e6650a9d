import type { IIoK8sApiCoreV1PodSpec } from 'kubernetes-models/v1/PodSpec';
import type { IIoK8sApiNetworkingV1NetworkPolicySpec } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicySpec';
import type { IIoK8sApiNetworkingV1NetworkPolicyPeer } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer';
import type { Rendered } from './kustomize.js';

const NAME = 'app.kubernetes.io/name';

export interface PodOwner {
  readonly kind: string;
  readonly name: string;
  readonly namespace: string | undefined;
  readonly labels: Record<string, string>;
  readonly pod: IIoK8sApiCoreV1PodSpec;
}

interface PodTemplateHolder {
  readonly template?: {
    readonly metadata?: { readonly labels?: Record<string, string> };
    readonly spec?: IIoK8sApiCoreV1PodSpec;
  };
  readonly jobTemplate?: { readonly spec?: PodTemplateHolder };
}

/** Every pod template in the output, with the kind and name of what runs it. */
export function podOwners(objects: readonly Rendered[]): PodOwner[] {
  return objects.flatMap((object) => {
    const spec = object.spec as PodTemplateHolder | undefined;
    const template = spec?.template ?? spec?.jobTemplate?.spec?.template;
    if (!template?.spec) return [];
    return [
      {
        kind: object.kind,
        name: object.metadata.name,
        namespace: object.metadata.namespace,
        labels: template.metadata?.labels ?? {},
        pod: template.spec,
      },
    ];
  });
}

/** `from → to : port`, one allowed connection between named pods of the shop's namespace. */
export type Edge = string;
export const edge = (from: string, to: string, port: number | string): Edge => `${from} → ${to} : ${port}`;

function podNames(peer: IIoK8sApiNetworkingV1NetworkPolicyPeer): string[] {
  if (peer.namespaceSelector || !peer.podSelector) return [];
  const byLabel = peer.podSelector.matchLabels?.[NAME];
  const byExpression = (peer.podSelector.matchExpressions ?? [])
    .filter((e) => e.key === NAME && e.operator === 'In')
    .flatMap((e) => e.values ?? []);
  return byLabel ? [byLabel, ...byExpression] : byExpression;
}

/** Pod-to-pod edges the policies allow, read once from ingress rules and once from egress rules. */
export function policyEdges(policies: readonly Rendered[]): { ingress: Set<Edge>; egress: Set<Edge> } {
  const ingress = new Set<Edge>();
  const egress = new Set<Edge>();
  for (const policy of policies) {
    const spec = policy.spec as IIoK8sApiNetworkingV1NetworkPolicySpec;
    const target = spec.podSelector.matchLabels?.[NAME];
    if (!target) continue;
    for (const rule of spec.ingress ?? [])
      for (const from of (rule.from ?? []).flatMap(podNames))
        for (const port of rule.ports ?? []) ingress.add(edge(from, target, port.port ?? '*'));
    for (const rule of spec.egress ?? [])
      for (const to of (rule.to ?? []).flatMap(podNames))
        for (const port of rule.ports ?? []) egress.add(edge(target, to, port.port ?? '*'));
  }
  return { ingress, egress };
}

/** Ports a policy of `target` admits from the named namespace. */
export function portsFromNamespace(
  policies: readonly Rendered[],
  target: string,
  namespace: string,
): unknown[] {
  return policies.flatMap((policy) => {
    const spec = policy.spec as IIoK8sApiNetworkingV1NetworkPolicySpec;
    if (spec.podSelector.matchLabels?.[NAME] !== target) return [];
    return (spec.ingress ?? [])
      .filter((rule) =>
        (rule.from ?? []).some(
          (peer) => peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === namespace,
        ),
      )
      .flatMap((rule) => (rule.ports ?? []).map((p) => p.port));
  });
}

/** Whether every label of the selector is on the object. */
export function selects(
  selector: Record<string, string> | undefined,
  labels: Record<string, string> | undefined,
): boolean {
  return Object.entries(selector ?? {}).every(([key, value]) => labels?.[key] === value);
}

export const byKind = (objects: readonly Rendered[], kind: string): Rendered[] =>
  objects.filter((o) => o.kind === kind);
