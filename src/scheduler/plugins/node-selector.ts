import type { FilterPlugin } from '../framework/plugin.js';
import { success, unresolvable } from '../framework/status.js';

/** spec.nodeSelector: every key must be a node label with exactly that value. */
export const nodeSelector = {
  name: 'NodeSelector',
  filter(pod, node) {
    const labels = node.node.metadata.labels ?? {};
    for (const [k, v] of Object.entries(pod.spec.nodeSelector ?? {})) {
      if (labels[k] !== v) return unresolvable("node(s) didn't match Pod's node affinity/selector");
    }
    return success;
  },
} satisfies FilterPlugin;
