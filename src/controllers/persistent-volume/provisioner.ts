/**
 * Dynamic provisioning on the server: a Provisioner makes the PV spec for a claim of a StorageClass
 * whose `provisioner` is its name. A class whose provisioner is not in the list is external (a CSI
 * driver's controller, possibly on a node): the binder only marks the claim with
 * volume.kubernetes.io/storage-provisioner and binds the PV the external provisioner creates.
 */
import type { Node } from '../../api/node.js';
import type { PersistentVolume, PersistentVolumeClaim, PersistentVolumeSpec, StorageClass } from '../../api/schema/storage.js';
import { LocalPathProvisioner } from './local-path.js';

/** A provisioner's refusal the user must act on (no node picked, the node has no storage root): a Warning event, retried. */
export class ProvisioningError extends Error {}

/** Makes and removes volumes of the classes that name it. */
export interface Provisioner {
  /** The StorageClass `provisioner` value it serves, e.g. rancher.io/local-path. */
  readonly name: string;
  /**
   * The spec of a new PV for claim (capacity, accessModes, source, nodeAffinity); the binder adds
   * claimRef, storageClassName, reclaim policy and mountOptions from the class. selectedNode is the
   * node the scheduler picked (WaitForFirstConsumer), undefined for Immediate classes.
   */
  provision(claim: PersistentVolumeClaim, sc: StorageClass, selectedNode: Node | undefined): Promise<PersistentVolumeSpec>;
  /**
   * Remove a released PV's data (reclaim policy Delete). 'deleted': done, the binder deletes the PV
   * object; 'node': the PV's node does it (the agent's reclaimer deletes the data, then the PV).
   */
  delete(pv: PersistentVolume): Promise<'deleted' | 'node'>;
}

/** The provisioners the server runs itself (S2 adds nfs here, one line). */
export function builtinProvisioners(): Provisioner[] {
  return [new LocalPathProvisioner()];
}
