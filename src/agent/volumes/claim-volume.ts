/**
 * A pod's persistentVolumeClaim resolved to its bound PersistentVolume, or why the container must
 * wait (the claim is missing, Pending, or its volume is gone), as the kubelet's volume manager says.
 */
import type { Pod } from '../../api/pod.js';
import type { ClaimReader } from './claim-cache.js';
import type { VolumeToMount } from './types.js';

/** A container held back until its claim is bound. */
export interface ClaimWait { reason: string; message: string }

/** The claim's bound PV as a VolumeToMount, or why not yet. */
export async function resolveClaim(read: ClaimReader, pod: Pod, claimName: string, readOnly: boolean): Promise<VolumeToMount | ClaimWait> {
  const ns = pod.metadata.namespace ?? 'default';
  const claim = await read.claim(ns, claimName);
  if (!claim) return { reason: 'ContainerCreating', message: `persistentvolumeclaim "${claimName}" not found: create it (lcctl volume create ${claimName}, or a PersistentVolumeClaim)` };
  if (claim.metadata.deletionTimestamp) return { reason: 'ContainerCreating', message: `persistentvolumeclaim "${claimName}" is being deleted` };
  if (!claim.spec.volumeName || claim.status?.phase !== 'Bound') return { reason: 'ContainerCreating', message: `waiting for persistentvolumeclaim "${claimName}" to be bound (lcctl describe pvc ${claimName})` };
  const pv = await read.volume(claim.spec.volumeName);
  if (!pv) return { reason: 'ContainerCreating', message: `persistentvolumeclaim "${claimName}" is bound to volume "${claim.spec.volumeName}", which is not found` };
  return { pvName: pv.metadata.name, pv: { metadata: { name: pv.metadata.name, ...(pv.metadata.uid ? { uid: pv.metadata.uid } : {}) }, spec: pv.spec as Record<string, unknown> }, claim: { namespace: ns, name: claimName }, readOnly };
}

/** Whether a resolution is a wait. */
export const isClaimWait = (r: VolumeToMount | ClaimWait): r is ClaimWait => 'reason' in r;
