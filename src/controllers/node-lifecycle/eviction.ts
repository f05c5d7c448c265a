import type { Taint } from '../../api/node.js';
import type { Pod } from '../../api/pod.js';
import { NodeLostReason, NodeTaints } from '../../api/node-lifecycle.js';
import { tolerationsFor } from '../../api/tolerations.js';

const lifecycle = new Set<string>([NodeTaints.unreachable, NodeTaints.notReady]);

/**
 * When a pod must leave a node with NoExecute taints (ms since the epoch), or undefined when it may
 * stay. Per taint: not tolerated → at once; tolerated → after the smallest tolerationSeconds of the
 * tolerations that match, never when one of them has none. A pod that does not tolerate a lifecycle
 * taint gets the default (Kubernetes' DefaultTolerationSeconds admission adds it to every pod).
 */
export function evictionTime(pod: Pod, taints: readonly Taint[], defaultTimeoutMs: number): number | undefined {
  let due: number | undefined;
  for (const taint of taints) {
    if (taint.effect !== 'NoExecute') continue;
    const since = taint.timeAdded ? Date.parse(taint.timeAdded) : 0;
    const matching = tolerationsFor(pod.spec.tolerations, taint);
    let after: number | undefined;
    if (matching.length === 0) after = lifecycle.has(taint.key) ? defaultTimeoutMs : 0;
    else if (matching.every((t) => t.tolerationSeconds !== undefined)) after = Math.max(0, Math.min(...matching.map((t) => t.tolerationSeconds!))) * 1000;
    if (after === undefined) continue;
    const at = (Number.isNaN(since) ? 0 : since) + after;
    due = due === undefined ? at : Math.min(due, at);
  }
  return due;
}

/** The pod's status once evicted: Failed/NodeLost, not ready, its containers terminated. */
export function evictedStatus(pod: Pod, nodeName: string, now: number): NonNullable<Pod['status']> {
  const at = new Date(now).toISOString();
  const status = pod.status ?? {};
  return {
    ...status,
    phase: 'Failed',
    reason: NodeLostReason,
    message: `Node ${nodeName} which was running pod ${pod.metadata.name} is unresponsive`,
    conditions: [
      ...(status.conditions ?? []).filter((c) => c.type !== 'Ready' && c.type !== 'ContainersReady'),
      { type: 'Ready', status: 'False', reason: NodeLostReason, lastTransitionTime: at },
      { type: 'ContainersReady', status: 'False', reason: NodeLostReason, lastTransitionTime: at },
    ],
    containerStatuses: (status.containerStatuses ?? []).map((cs) => cs.state.terminated ? { ...cs, ready: false } : {
      ...cs,
      ready: false,
      started: false,
      state: {
        terminated: {
          exitCode: 137,
          reason: NodeLostReason,
          message: `the node ${nodeName} was lost; the container was stopped when it came back`,
          ...(cs.state.running?.startedAt ? { startedAt: cs.state.running.startedAt } : {}),
          finishedAt: at,
          ...(cs.containerID ? { containerID: cs.containerID } : {}),
        },
      },
    }),
  };
}

/** The Ready condition's reason on a pod whose node stopped answering. */
export const NodeNotReadyReason = 'NodeNotReady';

/**
 * The status of a pod whose node stopped answering (Ready=Unknown), before any eviction: Ready=False,
 * as Kubernetes' MarkPodsNotReady does, so Services stop sending to it within the node grace rather
 * than at eviction; its phase and containers stay, and the agent rewrites Ready when it returns.
 * Undefined when the pod is not Ready=True (nothing to write).
 */
export function notReadyStatus(pod: Pod, now: number): NonNullable<Pod['status']> | undefined {
  const status = pod.status ?? {};
  if (!(status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True')) return undefined;
  const at = new Date(now).toISOString();
  return {
    ...status,
    conditions: (status.conditions ?? []).map((c) => c.type === 'Ready' ? { type: c.type, status: 'False' as const, reason: NodeNotReadyReason, lastTransitionTime: at } : c),
  };
}
