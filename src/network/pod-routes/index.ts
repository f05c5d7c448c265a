/** The pod network across nodes: the pure plan and diff, and the kernel side (iproute2). */
export { planRoutes, networkAddress, noEntries, vxlanDevice, type Peer, type RoutedBackend, type RouteEntries } from './plan.js';
export { diffEntries, emptyDiff, type EntryDiff } from './diff.js';
export { readEntries, applyDiff, removeAll, routeProto } from './kernel.js';
export { ensureVxlan, vxlanOverhead, linkOf, type Vtep } from './vxlan.js';
