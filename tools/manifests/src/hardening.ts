import type { IIoK8sApiCoreV1Container } from 'kubernetes-models/v1/Container';
import type { IIoK8sApiCoreV1PodSecurityContext } from 'kubernetes-models/v1/PodSecurityContext';
import type { IIoK8sApiCoreV1SecurityContext } from 'kubernetes-models/v1/SecurityContext';
import type { IIoK8sApiCoreV1Volume } from 'kubernetes-models/v1/Volume';

/** Pod-level hardening: a fixed unprivileged user and the runtime's default seccomp profile. */
export function podSecurity(user: number): IIoK8sApiCoreV1PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: user,
    runAsGroup: user,
    fsGroup: user,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** Container-level hardening: read-only root, no privilege escalation, every capability dropped. */
export const CONTAINER_SECURITY: IIoK8sApiCoreV1SecurityContext = Object.freeze({
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  privileged: false,
  capabilities: { drop: ['ALL'] },
});

/** The writable scratch directories a read-only root still needs, as emptyDir volumes. */
export function scratch(paths: Readonly<Record<string, string>>): {
  volumes: IIoK8sApiCoreV1Volume[];
  mounts: NonNullable<IIoK8sApiCoreV1Container['volumeMounts']>;
} {
  const entries = Object.entries(paths);
  return {
    volumes: entries.map(([name]) => ({ name, emptyDir: {} })),
    mounts: entries.map(([name, mountPath]) => ({ name, mountPath })),
  };
}
