/** pvc-protection's pure decision: which live pods still use a claim. */
import type { Pod } from '../../api/pod.js';
import type { PersistentVolumeClaim } from '../../api/schema/storage.js';

/** The pods of the claim's namespace that use it and have not finished (a finished pod holds nothing). */
export function podsUsing(claim: PersistentVolumeClaim, pods: readonly Pod[]): Pod[] {
  return pods.filter((p) => (p.metadata.namespace ?? 'default') === (claim.metadata.namespace ?? 'default')
    && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed'
    && (p.spec.volumes ?? []).some((v) => v.persistentVolumeClaim?.claimName === claim.metadata.name));
}

/** The claim names a pod's volumes refer to. */
export function claimNamesOf(pod: Pod): string[] {
  return (pod.spec.volumes ?? []).flatMap((v) => (v.persistentVolumeClaim ? [v.persistentVolumeClaim.claimName] : []));
}
