import type { Node, NodeCondition, Taint } from '../../api/node.js';
import { NodeTaints } from '../../api/node-lifecycle.js';

type ReadyStatus = NodeCondition['status'];

/** The node's Ready condition, if it has one. */
export const readyOf = (node: Node): NodeCondition | undefined => node.status?.conditions?.find((c) => c.type === 'Ready');

/** The node's last heartbeat as the agent wrote it (its creation time when it never reported). */
export const heartbeatOf = (node: Node): string => readyOf(node)?.lastHeartbeatTime ?? node.metadata.creationTimestamp ?? '';

/**
 * The conditions the node should show: unchanged while heartbeats are fresh; once the controller has
 * seen no new heartbeat for longer than the grace (lastSeenMs: when it last saw one change, on its own
 * clock), Ready=Unknown (as Kubernetes' node lifecycle controller), keeping the last heartbeat time so
 * users see when the node went quiet. Undefined when nothing needs to change.
 */
export function staleConditions(node: Node, now: number, lastSeenMs: number, graceMs: number): NodeCondition[] | undefined {
  if (now - lastSeenMs <= graceMs) return undefined;
  const ready = readyOf(node);
  if (ready?.status === 'Unknown') return undefined;
  const at = new Date(now).toISOString();
  const unknown: NodeCondition = {
    type: 'Ready',
    status: 'Unknown',
    reason: 'NodeStatusUnknown',
    message: ready ? 'Lantern agent stopped posting node status.' : 'Lantern agent never posted node status.',
    lastTransitionTime: at,
  };
  if (ready?.lastHeartbeatTime) unknown.lastHeartbeatTime = ready.lastHeartbeatTime;
  return [...(node.status?.conditions ?? []).filter((c) => c.type !== 'Ready'), unknown];
}

/** The lifecycle taint a Ready status calls for: Unknown → unreachable, False → not-ready. */
export function lifecycleTaintKey(status: ReadyStatus | undefined): string | undefined {
  if (status === 'Unknown') return NodeTaints.unreachable;
  if (status === 'False') return NodeTaints.notReady;
  return undefined;
}

const managed = new Set<string>([NodeTaints.unreachable, NodeTaints.notReady]);

/**
 * The node's taints with exactly the lifecycle taint its Ready status calls for (an existing one keeps
 * its timeAdded, which eviction counts from). Undefined when they are already right.
 */
export function desiredTaints(node: Node, now: number): Taint[] | undefined {
  const current = node.spec?.taints ?? [];
  const key = lifecycleTaintKey(readyOf(node)?.status);
  const keep = current.filter((t) => !managed.has(t.key) || (t.key === key && t.effect === 'NoExecute'));
  if (key !== undefined && !keep.some((t) => t.key === key)) keep.push({ key, effect: 'NoExecute', timeAdded: new Date(now).toISOString() });
  return keep.length === current.length && keep.every((t, i) => t === current[i]) ? undefined : keep;
}
