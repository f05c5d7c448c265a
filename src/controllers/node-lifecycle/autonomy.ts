import type { Taint } from '../../api/node.js';
import { NodeTaints } from '../../api/node-lifecycle.js';

const lifecycle = new Set<string>([NodeTaints.unreachable, NodeTaints.notReady]);

/** The taints that still evict on an autonomous node: all but the unreachable/not-ready ones this controller sets. */
export const withoutLifecycleTaints = (taints: readonly Taint[]): Taint[] => taints.filter((t) => !lifecycle.has(t.key));
