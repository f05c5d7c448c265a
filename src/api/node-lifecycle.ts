import type { Pod } from './schema/pod.js';

/** The taints the node lifecycle controller manages, as Kubernetes' node.kubernetes.io/* ones. */
export const NodeTaints = {
  unreachable: 'node.lantern.dev/unreachable',
  notReady: 'node.lantern.dev/not-ready',
} as const;

/** The pod status reason of a pod evicted from a node that stopped answering. */
export const NodeLostReason = 'NodeLost';

/** A pod the control plane gave up on because its node was lost: its node must not run it again. */
export const isNodeLost = (pod: Pod): boolean => pod.status?.phase === 'Failed' && pod.status.reason === NodeLostReason;
