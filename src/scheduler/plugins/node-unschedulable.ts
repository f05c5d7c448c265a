import type { FilterPlugin } from '../framework/plugin.js';
import { success, unresolvable } from '../framework/status.js';

/** Cordoned nodes (spec.unschedulable) take no new pods. */
export const nodeUnschedulable = {
  name: 'NodeUnschedulable',
  filter(_pod, node) {
    return node.node.spec?.unschedulable ? unresolvable('node(s) were unschedulable') : success;
  },
} satisfies FilterPlugin;
