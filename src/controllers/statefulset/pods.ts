/** The pods and claims a StatefulSet makes: NAME-i with hostname and subdomain, and TEMPLATE-NAME-i claims. */
import type { ApiObject } from '../../api/meta.js';
import type { Pod } from '../../api/pod.js';
import type { PodTemplateSpec } from '../../api/schema/apps.js';
import type { StatefulSet } from '../../api/schema/statefulset.js';
import { newControllerRef } from '../../client/kit/index.js';
import { revisionHashLabel } from '../history/revisions.js';

/** Labels Kubernetes puts on every StatefulSet pod. */
export const podNameLabel = 'statefulset.kubernetes.io/pod-name';
export const podIndexLabel = 'apps.kubernetes.io/pod-index';

/** The claim of template `claim` for ordinal i: CLAIM-SET-i. */
export const claimName = (set: StatefulSet, claim: string, ordinal: number): string => `${claim}-${set.metadata.name}-${ordinal}`;

/** A PersistentVolumeClaim as the StatefulSet creates it (the template's spec, the selector's labels). */
export interface ClaimObject extends ApiObject { spec: Record<string, unknown> }

/** The claims ordinal i needs, one per volumeClaimTemplate. */
export function claimsFor(set: StatefulSet, ordinal: number): ClaimObject[] {
  return (set.spec.volumeClaimTemplates ?? []).map((t) => ({
    apiVersion: 'v1', kind: 'PersistentVolumeClaim',
    metadata: {
      name: claimName(set, t.metadata.name, ordinal), namespace: set.metadata.namespace,
      labels: { ...t.metadata.labels, ...set.spec.selector.matchLabels },
      ...(t.metadata.annotations ? { annotations: { ...t.metadata.annotations } } : {}),
      // whenDeleted: Delete makes the set the claim's owner, so the claim goes with it (not its controller).
      ...(set.spec.persistentVolumeClaimRetentionPolicy?.whenDeleted === 'Delete'
        ? { ownerReferences: [{ ...newControllerRef(set), controller: false }] } : {}),
    },
    spec: structuredClone(t.spec),
  }));
}

/** Pod ordinal i of the set from `template` (the revision's), labelled with that revision. */
export function newSetPod(set: StatefulSet, template: PodTemplateSpec, ordinal: number, revision: string): Pod {
  const name = `${set.metadata.name}-${ordinal}`;
  const spec = structuredClone(template.spec);
  spec.hostname = name;
  if (set.spec.serviceName) spec.subdomain = set.spec.serviceName;
  const claims = set.spec.volumeClaimTemplates ?? [];
  if (claims.length > 0) {
    const fromClaims = new Set(claims.map((c) => c.metadata.name));
    spec.volumes = [
      ...(spec.volumes ?? []).filter((v) => !fromClaims.has(v.name)),
      ...claims.map((c) => ({ name: c.metadata.name, persistentVolumeClaim: { claimName: claimName(set, c.metadata.name, ordinal) } })),
    ];
  }
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      name, namespace: set.metadata.namespace,
      labels: { ...template.metadata?.labels, [revisionHashLabel]: revision, [podNameLabel]: name, [podIndexLabel]: String(ordinal) },
      ...(template.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
      ownerReferences: [newControllerRef(set)],
    },
    spec,
  };
}
