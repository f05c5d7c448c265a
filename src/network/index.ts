/** Pod networking: the NetworkPlugin interface and its CNI implementation. */
export type { NetworkPlugin, PodNetwork, PortMapping } from './types.js';
export { CniNetwork } from './cni-network.js';
export type { CniNetworkOptions } from './options.js';
export { CniError } from './cni-exec.js';
export { podKey } from './netns.js';
export { PendingNetwork } from './pending-network.js';
