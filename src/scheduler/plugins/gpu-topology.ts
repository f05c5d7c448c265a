/**
 * GpuTopology: among nodes that fit, prefer one where all of the pod's devices of a resource can
 * come from one topology group (GPUs on one NVLink domain or PCIe switch, as `nvidia-smi topo -m`
 * says; NUMA nodes for device plugins). The node's devices come from its `lantern.dev/devices`
 * annotation, which the node writes: a JSON list of { resource, id, healthy, topologyGroup, pod }
 * (pod: who holds it). A node without the annotation scores 0 (nothing known), as does a malformed one.
 */
import type { Node } from '../../api/node.js';
import type { Pod } from '../../api/pod.js';
import type { NodeInfo } from '../framework/node-info.js';
import type { ScorePlugin } from '../framework/plugin.js';
import { extendedRequests } from './accelerator-requests.js';
import { nodeDevicesAnnotation } from '../../api/node-devices.js';

/** The node annotation listing its devices (one name, api/node-devices.ts). */
export const devicesAnnotation = nodeDevicesAnnotation;

/** Per resource, per topology group: free healthy devices. */
type FreeGroups = Map<string, Map<string, number>>;

const parsed = new WeakMap<Node, FreeGroups | null>();

/** The node's free devices by resource and group (null: the node says nothing usable). */
export function freeGroups(node: Node): FreeGroups | null {
  if (parsed.has(node)) return parsed.get(node) ?? null;
  let out: FreeGroups | null = null;
  const raw = node.metadata.annotations?.[devicesAnnotation];
  if (raw) {
    try {
      const list: unknown = JSON.parse(raw);
      if (Array.isArray(list)) {
        out = new Map();
        for (const d of list as unknown[]) {
          if (typeof d !== 'object' || d === null) continue;
          const { resource, healthy, topologyGroup, pod } = d as Record<string, unknown>;
          if (typeof resource !== 'string' || healthy !== true || (typeof pod === 'string' && pod !== '')) continue;
          const group = typeof topologyGroup === 'string' && topologyGroup !== '' ? topologyGroup : '';
          const groups = out.get(resource) ?? new Map<string, number>();
          groups.set(group, (groups.get(group) ?? 0) + 1);
          out.set(resource, groups);
        }
      }
    } catch { out = null; }
  }
  parsed.set(node, out);
  return out;
}

/** 0..100: the share of the pod's multi-device requests the node's best single group can hold. */
function score(pod: Pod, node: NodeInfo): number {
  const groups = freeGroups(node.node);
  if (!groups) return 0;
  let total = 0;
  let counted = 0;
  for (const [resource, amount] of extendedRequests(pod)) {
    if (amount < 2 || !Number.isInteger(amount)) continue;
    counted++;
    const byGroup = groups.get(resource);
    if (!byGroup) continue;
    // Devices without a group ('') are not known to share a link: they count one at a time.
    let best = byGroup.has('') ? 1 : 0;
    for (const [g, free] of byGroup) if (g !== '') best = Math.max(best, free);
    total += Math.min(1, best / amount) * 100;
  }
  return counted === 0 ? 0 : total / counted;
}

/** Prefer nodes where the pod's devices fit in one topology group. */
export const gpuTopology = {
  name: 'GpuTopology',
  // One device is always "in one group": only pods asking for several of a kind are scored.
  preScore: (pod) => (extendedRequests(pod).some(([, n]) => n >= 2) ? undefined : 'skip'),
  score: (pod, node) => score(pod, node),
} satisfies ScorePlugin;
