/**
 * What a node may write of PersistentVolumes: only those pinned to it, as the kubelet's local
 * volumes are (nodeAffinity whose every term names this node alone). The agent's local-path
 * reclaimer deletes a released Delete volume of its node, marks one it must not touch Failed, and
 * reports the bytes a volume uses; another node's volumes stay out of its reach.
 */
import { ApiError } from '../../api/errors.js';
import type { PersistentVolume } from '../../api/schema/storage.js';
import { pinnedNode } from '../../api/storage.js';
import type { ApiClient } from '../../client/types.js';

const refuse = (node: string, name: string | undefined, why: string): ApiError =>
  new ApiError('Forbidden', `node "${node}" may not write persistentvolume "${name ?? ''}": ${why}; a node writes only volumes pinned to it (spec.nodeAffinity naming it alone)`);

/**
 * Admit node's write of a PV: the stored one (update, status, delete) and the new one (create,
 * update, status) must both be pinned to node, and an update may not change where the data is.
 */
export async function admitNodeVolume(api: ApiClient, node: string, op: 'create' | 'update' | 'delete', name: string | undefined, next?: PersistentVolume): Promise<void> {
  const stored = op === 'create' ? undefined : await api.get<PersistentVolume>('persistentvolumes', name ?? '');
  for (const pv of [stored, next]) {
    if (!pv) continue;
    const pinned = pinnedNode(pv);
    if (pinned !== node) throw refuse(node, pv.metadata.name, pinned ? `it is pinned to node "${pinned}"` : 'it is not pinned to one node');
  }
  if (stored && next && JSON.stringify([stored.spec.local, stored.spec.hostPath]) !== JSON.stringify([next.spec?.local, next.spec?.hostPath])) {
    throw refuse(node, name, 'spec.local and spec.hostPath (where the data is) may not change');
  }
}
