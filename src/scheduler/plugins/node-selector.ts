import { labelsMatch } from '../../api/label-selector.js';
import type { FilterPlugin } from '../framework/plugin.js';
import { success, unresolvable } from '../framework/status.js';

/** spec.nodeSelector: every key must be a node label with exactly that value. */
export const nodeSelector = {
  name: 'NodeSelector',
  filter(pod, node) {
    return labelsMatch(pod.spec.nodeSelector, node.node.metadata.labels) ? success : unresolvable("node(s) didn't match Pod's node affinity/selector");
  },
} satisfies FilterPlugin;
