/**
 * What a node may write for CSI (issue 15): the Node annotation csi.volume.kubernetes.io/nodeid
 * (a JSON map of driver name to node id, bounded), and PersistentVolumes only of the CSI drivers that
 * annotation says the node hosts (its provisioner creates them, grows them and deletes them): never a
 * PV of another driver, nor one turned into or out of a CSI volume. Other PVs: persistent-volumes.ts.
 */
import type { FieldCause } from '../../api/errors.js';
import { CSI_NODE_ID_ANNOTATION, csiDriversOfNode } from '../../api/csi.js';
import type { Node } from '../../api/node.js';
import type { PersistentVolume } from '../../api/schema/storage.js';
import type { ApiClient } from '../../client/types.js';
import { forbiddenFor } from './node-writes.js';
import { admitNodeVolume } from './persistent-volumes.js';

const driverName = /^[A-Za-z0-9]([A-Za-z0-9.-]{0,61}[A-Za-z0-9])?$/;

/** Why the node's CSI annotation value is refused, or undefined when it is well formed. */
export function csiAnnotationRule(value: string): string | undefined {
  if (value.length > 16384) return 'at most 16384 characters';
  let v: unknown;
  try { v = JSON.parse(value); } catch { return 'expected a JSON object of CSI driver name to node id'; }
  if (!v || typeof v !== 'object' || Array.isArray(v)) return 'expected a JSON object of CSI driver name to node id';
  const entries = Object.entries(v);
  if (entries.length > 64) return 'at most 64 drivers';
  for (const [k, id] of entries) {
    if (!driverName.test(k)) return `driver name ${JSON.stringify(k.slice(0, 80))}: expected a DNS-style name of at most 63 characters`;
    if (typeof id !== 'string' || id.length === 0 || id.length > 256 || /[\x00-\x1f\x7f]/.test(id)) return `node id of ${k}: expected 1-256 printable characters`;
  }
  return undefined;
}

/** Adds a cause when the node's CSI annotation changed to something malformed. */
export function checkCsiAnnotation(annotations: Record<string, string>, before: Record<string, string>, out: FieldCause[]): void {
  const v = annotations[CSI_NODE_ID_ANNOTATION];
  if (v === undefined || v === before[CSI_NODE_ID_ANNOTATION]) return;
  const rule = csiAnnotationRule(v);
  if (rule) out.push({ field: `metadata.annotations.${CSI_NODE_ID_ANNOTATION}`, message: rule });
}

/** The CSI driver of a PV, if it has spec.csi. */
const driverOf = (pv: PersistentVolume | undefined): string | undefined => pv?.spec?.csi?.driver; // spec?: a node's write is checked before the schema (it may have none)

/**
 * Admits a node's create, update, status write or delete of a PV. A CSI PV (stored or written): both
 * must be of a driver the node's Node lists (its provisioner's volumes, wherever they live); any other
 * PV goes to the local-volume rule (persistent-volumes.ts: pinned to this node). Throws Forbidden.
 */
export async function admitNodePersistentVolume(api: ApiClient, node: string, op: 'create' | 'update' | 'delete', name: string | undefined, next?: PersistentVolume): Promise<void> {
  const stored = op === 'create' ? undefined : await api.get<PersistentVolume>('persistentvolumes', name ?? '');
  if (driverOf(stored) === undefined && driverOf(next) === undefined) return admitNodeVolume(api, node, op, name, next);
  const hosted = csiDriversOfNode(await api.get<Node>('nodes', node));
  const causes: FieldCause[] = [];
  for (const [what, pv] of [['spec.csi.driver', next], ['spec.csi.driver (stored)', stored]] as const) {
    if (pv === undefined) continue;
    const d = driverOf(pv);
    if (d === undefined) causes.push({ field: what, message: 'a CSI volume may not become another kind of volume, nor the reverse' });
    else if (!(d in hosted)) causes.push({ field: what, message: `CSI driver ${JSON.stringify(d)} is not registered on node ${node} (its Node annotation ${CSI_NODE_ID_ANNOTATION} lists ${JSON.stringify(Object.keys(hosted))})` });
  }
  if (stored && next && (stored.spec?.csi?.volumeHandle !== next.spec?.csi?.volumeHandle)) causes.push({ field: 'spec.csi.volumeHandle', message: 'may not change (it names the data)' });
  if (causes.length > 0) throw forbiddenFor(node, 'PersistentVolume', name ?? next?.metadata.name ?? '', causes);
}
