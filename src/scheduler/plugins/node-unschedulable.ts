import type { FilterPlugin } from '../framework/plugin.js';
import { success, unresolvable } from '../framework/status.js';
import { tolerated } from './taint-toleration.js';

/** The taint a cordoned node stands for: pods tolerating it (DaemonSet-like agents) may still land. */
const unschedulableTaint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' } as const;

/** Cordoned nodes (spec.unschedulable) take no new pods, unless the pod tolerates the unschedulable taint. */
export const nodeUnschedulable = {
  name: 'NodeUnschedulable',
  filter(pod, node) {
    if (!node.node.spec?.unschedulable || tolerated(pod.spec.tolerations, unschedulableTaint)) return success;
    return unresolvable('node(s) were unschedulable');
  },
} satisfies FilterPlugin;
