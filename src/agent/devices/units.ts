/**
 * The schedulable units a node advertises from its devices: one per healthy device, or with
 * time-slicing K per GPU (`--gpu-time-slicing K`) K replicas `<uuid>::<r>` of each, as NVIDIA's
 * device plugin names them. With MPS sharing the GPUs' memory is advertised as lantern.dev/gpu-memory.
 */
import type { Device } from './types.js';

/** How the node shares its GPUs. */
export type SharingMode = 'none' | 'time-slicing' | 'mps';

/** The node's sharing setting. */
export interface Sharing {
  mode: SharingMode;
  /** Replicas per GPU with time-slicing (>= 1). */
  replicas: number;
}

/** The resource a fractional (MPS) request names, in bytes of GPU memory. */
export const GPU_MEMORY_RESOURCE = 'lantern.dev/gpu-memory';
/** The GPU resources sharing applies to. */
export const SHAREABLE = new Set(['nvidia.com/gpu']);

/** A device found by a provider. */
export interface Found { provider: string; device: Device }

/** One schedulable unit: a device, or a time-slicing replica of one. */
export interface Unit {
  resource: string;
  /** The id the allocation records: the device's id, or `<id>::<r>` for a replica. */
  id: string;
  provider: string;
  device: Device;
}

/** The units of these devices under the sharing setting (unhealthy devices included: callers filter). */
export function unitsOf(found: readonly Found[], sharing: Sharing): Unit[] {
  const out: Unit[] = [];
  for (const f of found) {
    const d = f.device;
    if (sharing.mode === 'time-slicing' && sharing.replicas > 1 && SHAREABLE.has(d.resource)) {
      for (let r = 0; r < sharing.replicas; r++) out.push({ resource: d.resource, id: `${d.id}::${r}`, provider: f.provider, device: d });
    } else {
      out.push({ resource: d.resource, id: d.id, provider: f.provider, device: d });
    }
  }
  return out;
}

/** Capacity (all units) and allocatable (healthy units) per resource, as quantities. */
export function resourceCounts(found: readonly Found[], sharing: Sharing): { capacity: Record<string, string>; allocatable: Record<string, string> } {
  const capacity: Record<string, number> = {};
  const allocatable: Record<string, number> = {};
  for (const u of unitsOf(found, sharing)) {
    capacity[u.resource] = (capacity[u.resource] ?? 0) + 1;
    allocatable[u.resource] = (allocatable[u.resource] ?? 0) + (u.device.healthy ? 1 : 0);
  }
  if (sharing.mode === 'mps') {
    const gpus = found.filter((f) => SHAREABLE.has(f.device.resource));
    capacity[GPU_MEMORY_RESOURCE] = gpus.reduce((n, f) => n + (f.device.memoryBytes ?? 0), 0);
    allocatable[GPU_MEMORY_RESOURCE] = gpus.filter((f) => f.device.healthy).reduce((n, f) => n + (f.device.memoryBytes ?? 0), 0);
  }
  const q = (r: Record<string, number>): Record<string, string> => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, String(v)]));
  return { capacity: q(capacity), allocatable: q(allocatable) };
}
