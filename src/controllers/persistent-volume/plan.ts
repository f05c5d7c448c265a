/**
 * The binder's pure decisions (Kubernetes' PV controller): which Available PV a claim binds to
 * (static binding by class, access modes, size, selector, volumeName), and what a volume's phase
 * should be given its claim.
 */
import type { PersistentVolume, PersistentVolumeClaim } from '../../api/schema/storage.js';
import { claimRequestBytes, volumeBytes } from '../../api/storage.js';
import { labelSelectorMatches } from '../../api/label-selector.js';

/** Whether pv is (pre-)bound to this claim by name, namespace and, when the PV names one, uid. */
export function claimRefMatches(pv: PersistentVolume, claim: PersistentVolumeClaim): boolean {
  const ref = pv.spec.claimRef;
  if (!ref?.name) return false;
  if (ref.name !== claim.metadata.name || (ref.namespace ?? 'default') !== (claim.metadata.namespace ?? 'default')) return false;
  return !ref.uid || ref.uid === claim.metadata.uid;
}

/** Why pv cannot serve claim ('' when it can): for static binding and for the message of a claim left Pending. */
export function mismatch(pv: PersistentVolume, claim: PersistentVolumeClaim): string {
  if (pv.metadata.deletionTimestamp) return 'being deleted';
  if (pv.spec.claimRef?.name && !claimRefMatches(pv, claim)) return `bound to ${pv.spec.claimRef.namespace ?? 'default'}/${pv.spec.claimRef.name}`;
  if ((pv.spec.storageClassName ?? '') !== (claim.spec.storageClassName ?? '')) return `class "${pv.spec.storageClassName ?? ''}" is not the claim's "${claim.spec.storageClassName ?? ''}"`;
  if ((pv.spec.volumeMode ?? 'Filesystem') !== (claim.spec.volumeMode ?? 'Filesystem')) return 'volumeMode differs';
  const modes = pv.spec.accessModes ?? [];
  const missing = (claim.spec.accessModes ?? []).filter((m) => !modes.includes(m));
  if (missing.length > 0) return `does not offer access mode ${missing.join(', ')}`;
  if (volumeBytes(pv) < claimRequestBytes(claim)) return `too small (${String(pv.spec.capacity?.storage)})`;
  if (claim.spec.selector && !labelSelectorMatches(claim.spec.selector, pv.metadata.labels)) return 'labels do not match the claim\'s selector';
  if (pv.status?.phase === 'Released' || pv.status?.phase === 'Failed') return `${pv.status.phase.toLowerCase()} (an admin must reclaim it)`;
  return '';
}

/**
 * The PV a Pending claim binds to: the one it names (spec.volumeName) if that fits; else one
 * pre-bound to it; else the smallest Available one that fits. Undefined when none does.
 */
export function findVolumeFor(claim: PersistentVolumeClaim, pvs: readonly PersistentVolume[]): PersistentVolume | undefined {
  const fits = pvs.filter((pv) => mismatch(pv, claim) === '');
  if (claim.spec.volumeName) return fits.find((pv) => pv.metadata.name === claim.spec.volumeName);
  const prebound = fits.find((pv) => claimRefMatches(pv, claim));
  if (prebound) return prebound;
  // A claim of a WaitForFirstConsumer class is provisioned, not matched to a foreign pre-made PV, only when none fits.
  return fits.filter((pv) => !pv.spec.claimRef?.name).sort((a, b) => volumeBytes(a) - volumeBytes(b))[0];
}

/** The phase a PV should have given the claim its claimRef names (undefined: the claim is gone or is another one). */
export function volumePhase(pv: PersistentVolume, claim: PersistentVolumeClaim | undefined): 'Available' | 'Bound' | 'Released' {
  if (!pv.spec.claimRef?.name) return 'Available';
  if (!claim || (pv.spec.claimRef.uid && pv.spec.claimRef.uid !== claim.metadata.uid)) {
    // Pre-bound by an admin to a claim not made yet: it waits; once bound (uid known), the claim's end releases it.
    return pv.spec.claimRef.uid ? 'Released' : 'Available';
  }
  return claim.spec.volumeName === pv.metadata.name ? 'Bound' : 'Available';
}
