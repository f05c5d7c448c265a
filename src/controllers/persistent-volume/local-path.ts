/**
 * The local-path provisioner (k3s's rancher.io/local-path, done by Lantern itself): a directory per
 * volume under the chosen node's storage root, which its agent publishes in the Node annotation
 * storage.lantern.dev/local-path-root; the PV is `local` with nodeAffinity pinning it to that node.
 * The agent makes the directory at the first mount and removes it when a Delete PV is released.
 */
import path from 'node:path';
import type { Node } from '../../api/node.js';
import type { PersistentVolume, PersistentVolumeClaim, PersistentVolumeSpec, StorageClass } from '../../api/schema/storage.js';
import { LOCAL_PATH_PROVISIONER, NODE_STORAGE_DIR_ANNOTATION } from '../../api/storage.js';
import { ProvisioningError, type Provisioner } from './provisioner.js';

/** The directory name of a claim's volume, as k3s names it: pvc-<uid>_<namespace>_<name>. */
export function localPathDirName(claim: PersistentVolumeClaim): string {
  return `pvc-${claim.metadata.uid ?? ''}_${claim.metadata.namespace ?? 'default'}_${claim.metadata.name}`;
}

/** rancher.io/local-path: one directory per claim on the node the scheduler picked. */
export class LocalPathProvisioner implements Provisioner {
  readonly name = LOCAL_PATH_PROVISIONER;

  async provision(claim: PersistentVolumeClaim, _sc: StorageClass, node: Node | undefined): Promise<PersistentVolumeSpec> {
    if (!node) throw new ProvisioningError('local-path volumes live on one node: use volumeBindingMode WaitForFirstConsumer so the scheduler picks the node first');
    const root = node.metadata.annotations?.[NODE_STORAGE_DIR_ANNOTATION];
    if (!root || !root.startsWith('/')) throw new ProvisioningError(`node "${node.metadata.name}" has not published its local-path root (annotation ${NODE_STORAGE_DIR_ANNOTATION}); is its agent up to date?`);
    return {
      capacity: { storage: claim.spec.resources?.requests?.storage ?? '1Gi' },
      accessModes: claim.spec.accessModes ?? ['ReadWriteOnce'],
      local: { path: path.posix.join(root, localPathDirName(claim)) },
      nodeAffinity: { required: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node.metadata.name] }] }] } },
    };
  }

  /** The data is on the node: its agent removes the directory, then the PV. */
  async delete(_pv: PersistentVolume): Promise<'node'> { return 'node'; }
}
