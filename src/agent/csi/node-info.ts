/**
 * Publishes the node's CSI drivers on its Node as the kubelet does: the annotation
 * csi.volume.kubernetes.io/nodeid ({"driver": "node id"}) and each driver's topology segments as
 * labels (the scheduler matches a provisioned PV's nodeAffinity against them). Node restriction lets
 * a node write only well-formed values here (server/node-restriction/csi-volumes.ts).
 */
import type { Node } from '../../api/node.js';
import type { ApiClient } from '../../client/types.js';
import { retryOnConflict } from '../../client/kit/conflict.js';
import type { RegisteredDriver } from './drivers.js';
import { CSI_NODE_ID_ANNOTATION } from '../../api/csi.js';


/** The annotation's value for these drivers ('' for none). */
export function nodeIdAnnotation(drivers: readonly RegisteredDriver[]): string {
  if (drivers.length === 0) return '';
  const m: Record<string, string> = {};
  for (const d of [...drivers].sort((a, b) => a.info.name.localeCompare(b.info.name))) m[d.info.name] = d.info.nodeId;
  return JSON.stringify(m);
}

/** Writes the annotation and topology labels of the registered drivers onto the Node (drivers gone: removed). */
export async function publishCsiNodeInfo(api: ApiClient, nodeName: string, drivers: readonly RegisteredDriver[]): Promise<void> {
  const value = nodeIdAnnotation(drivers);
  await retryOnConflict(async () => {
    const node = await api.get<Node>('nodes', nodeName);
    const annotations = { ...node.metadata.annotations };
    const labels = { ...node.metadata.labels };
    for (const d of drivers) Object.assign(labels, d.info.topology);
    if (value) annotations[CSI_NODE_ID_ANNOTATION] = value; else delete annotations[CSI_NODE_ID_ANNOTATION];
    if (annotations[CSI_NODE_ID_ANNOTATION] === node.metadata.annotations?.[CSI_NODE_ID_ANNOTATION]
      && Object.entries(labels).every(([k, v]) => node.metadata.labels?.[k] === v)) return;
    await api.update<Node>('nodes', { ...node, metadata: { ...node.metadata, annotations, labels } });
  });
}
