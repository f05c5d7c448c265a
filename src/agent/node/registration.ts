/** The agent's Node object: registered at start (or refreshed after a restart) and its Ready heartbeat. */
import type { Node } from '../../api/node.js';
import { ApiError } from '../../api/errors.js';
import { mergeReportedLabels } from '../../api/node-labels.js';
import type { ApiClient } from '../../client/types.js';
import { retryOnConflict } from '../../client/kit/conflict.js';
import { describeNode, readyCondition } from './node-object.js';

/** What registration says of the node. */
export interface NodeIdentity {
  nodeName: string;
  labels: Record<string, string>;
  /** `runtime://version`, as the kubelet's containerRuntimeVersion. */
  runtimeVersion: string;
  version: string;
  /** The runtime handlers the node runs (status.runtimeHandlers). */
  runtimeHandlers?: string[];
}

/** Create the Node, or refresh its labels and status if it exists (an agent restart). */
export async function registerNode(api: ApiClient, id: NodeIdentity): Promise<void> {
  const desired = describeNode(id.nodeName, id.labels, id.runtimeVersion, id.version);
  if (id.runtimeHandlers) desired.status!.runtimeHandlers = id.runtimeHandlers.map((name) => ({ name }));
  const at = new Date().toISOString();
  desired.status!.conditions = [readyCondition(undefined, at)];
  try {
    const created = await api.create<Node>('nodes', desired);
    // The server's node IPAM may give the new Node its podCIDR in between: read it again on Conflict.
    await retryOnConflict(async (attempt) => {
      const n = attempt === 0 ? created : await api.get<Node>('nodes', id.nodeName);
      await api.updateStatus('nodes', { ...n, status: desired.status });
    });
  } catch (e) {
    if (!(e instanceof ApiError && e.code === 'AlreadyExists')) throw e;
    await retryOnConflict(async () => {
      const existing = await api.get<Node>('nodes', id.nodeName);
      const updated = await api.update<Node>('nodes', { ...existing, metadata: { ...existing.metadata, labels: mergeReportedLabels(existing, desired.metadata.labels ?? {}) } });
      await api.updateStatus('nodes', { ...updated, status: { ...desired.status, conditions: [readyCondition(existing, at)] } });
    });
  }
}

/** Renew the Ready condition (the node lifecycle controller marks a silent node NotReady). */
export async function heartbeat(api: ApiClient, nodeName: string): Promise<void> {
  const node = await api.get<Node>('nodes', nodeName);
  const at = new Date().toISOString();
  const conditions = [...(node.status?.conditions ?? []).filter((c) => c.type !== 'Ready'), readyCondition(node, at)];
  await api.updateStatus('nodes', { ...node, status: { ...node.status, conditions } });
}
