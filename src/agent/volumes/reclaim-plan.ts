/**
 * The local-path reclaimer's pure decision for one PV seen by one node: nothing, delete its
 * directory and then the PV, refuse (mark it Failed: its path is not a volume directory under this
 * node's storage root), or report the bytes it uses. The path check is what keeps a forged or
 * mistaken PV from making the agent remove anything else on the host.
 */
import path from 'node:path';
import type { PersistentVolume } from '../../api/schema/storage.js';
import { LOCAL_PATH_PROVISIONER, PROVISIONED_BY_ANNOTATION, pinnedNode } from '../../api/storage.js';

/** What to do with one PV. */
export type ReclaimStep =
  | { do: 'nothing' }
  | { do: 'delete'; dir: string }
  | { do: 'fail'; message: string }
  | { do: 'measure'; dir: string };

/** Why dir is not a local-path volume directory of root, or undefined when it is (root/pvc-..., one level down). */
export function outsideRoot(root: string, dir: string): string | undefined {
  if (!path.isAbsolute(dir) || path.resolve(dir) !== dir.replace(/\/+$/, '')) return `its path "${dir}" is not absolute and normalized`;
  const rel = path.relative(root, dir);
  if (rel === '' || rel.startsWith('..') || rel.includes('/')) return `its path "${dir}" is not a directory directly under this node's storage root ${root}`;
  if (!rel.startsWith('pvc-')) return `its path "${dir}" is not a local-path volume directory (pvc-...)`;
  return undefined;
}

/** The step for pv on node (whose storage root is root). */
export function reclaimStep(pv: PersistentVolume, node: string, root: string): ReclaimStep {
  if (pinnedNode(pv) !== node || pv.metadata.annotations?.[PROVISIONED_BY_ANNOTATION] !== LOCAL_PATH_PROVISIONER) return { do: 'nothing' };
  const dir = pv.spec.local?.path ?? pv.spec.hostPath?.path;
  if (dir === undefined) return { do: 'nothing' };
  const phase = pv.status?.phase;
  const bad = outsideRoot(root, dir);
  if (phase === 'Bound') return bad ? { do: 'nothing' } : { do: 'measure', dir };
  if (phase !== 'Released' || pv.spec.persistentVolumeReclaimPolicy !== 'Delete') return { do: 'nothing' };
  if (bad) return { do: 'fail', message: `node ${node} did not delete this volume's data: ${bad}; delete the data and the PV by hand` };
  return { do: 'delete', dir };
}
