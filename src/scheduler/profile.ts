import type { Profile } from './framework/plugin.js';
import { nodeName } from './plugins/node-name.js';
import { nodeUnschedulable } from './plugins/node-unschedulable.js';
import { nodeSelector } from './plugins/node-selector.js';
import { leastAllocated, nodeResourcesFit } from './plugins/node-resources-fit.js';

/** The default profile: cheap label and name checks first, resources last; spread by free resources. */
export const defaultProfile: Profile = {
  filters: [nodeUnschedulable, nodeName, nodeSelector, nodeResourcesFit],
  scores: [{ plugin: leastAllocated, weight: 1 }],
};
