import type { FilterPlugin } from '../framework/plugin.js';
import { success, unresolvable } from '../framework/status.js';

/** A pod that names its node (spec.nodeName set before scheduling) fits only that node. */
export const nodeName = {
  name: 'NodeName',
  filter(pod, node) {
    const wanted = pod.spec.nodeName;
    return wanted === undefined || wanted === '' || wanted === node.name ? success : unresolvable("node(s) didn't match the requested node name");
  },
} satisfies FilterPlugin;
