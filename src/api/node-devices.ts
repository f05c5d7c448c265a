/**
 * The node annotation `lantern.dev/devices`: what the node's accelerators are and who holds them, as
 * the agent last saw them (agent/devices/advertise.ts writes it; `lcctl gpu ls`, `describe node` and
 * the scheduler's topology score read it). Bounded, because a node writes it (node restriction).
 */
import type { Node } from './schema/node.js';

/** The annotation key. */
export const nodeDevicesAnnotation = 'lantern.dev/devices';

/** At most this many bytes of JSON: 1024 devices of ~200 bytes, far above any real machine. */
export const nodeDevicesMaxBytes = 256 * 1024;
/** At most this many devices in the list. */
export const nodeDevicesMaxEntries = 1024;

/** One device of the node, as the annotation lists it. */
export interface NodeDeviceInfo {
  /** Extended resource: nvidia.com/gpu, huawei.com/Ascend910, vendor.com/class. */
  resource: string;
  /** Stable id (a GPU's UUID). */
  id: string;
  index?: number;
  model?: string;
  /** Total device memory in MiB (nvidia-smi's unit). */
  memoryMiB?: number;
  healthy: boolean;
  topologyGroup?: string;
  /** namespace/name of the pod holding it (from the device registry's assignments), when one does. */
  pod?: string;
  container?: string;
  /** From the last vendor query: utilisation %, memory used MiB, power W, temperature C. */
  utilization?: number;
  memoryUsedMiB?: number;
  powerWatts?: number;
  temperatureC?: number;
}

const strField = (o: Record<string, unknown>, k: string): boolean => o[k] === undefined || (typeof o[k] === 'string' && (o[k] as string).length <= 253);
const numField = (o: Record<string, unknown>, k: string): boolean => o[k] === undefined || (typeof o[k] === 'number' && Number.isFinite(o[k]));

/** Why this annotation value is not acceptable from a node, or undefined when it is. */
export function nodeDevicesRule(value: string): string | undefined {
  if (value.length > nodeDevicesMaxBytes) return `must be at most ${nodeDevicesMaxBytes} bytes of JSON, got ${value.length}`;
  let parsed: unknown;
  try { parsed = JSON.parse(value); } catch { return 'must be a JSON list of devices ({"resource","id","healthy",...})'; }
  if (!Array.isArray(parsed)) return 'must be a JSON list of devices ({"resource","id","healthy",...})';
  if (parsed.length > nodeDevicesMaxEntries) return `must list at most ${nodeDevicesMaxEntries} devices, got ${parsed.length}`;
  for (const [i, d] of parsed.entries()) {
    if (typeof d !== 'object' || d === null || Array.isArray(d)) return `[${i}]: must be an object`;
    const o = d as Record<string, unknown>;
    if (typeof o.resource !== 'string' || typeof o.id !== 'string' || o.resource === '' || o.id === '') return `[${i}]: resource and id must be non-empty strings`;
    if (typeof o.healthy !== 'boolean') return `[${i}].healthy: must be true or false`;
    for (const k of ['resource', 'id', 'model', 'topologyGroup', 'pod', 'container']) if (!strField(o, k)) return `[${i}].${k}: must be a string of at most 253 characters`;
    for (const k of ['index', 'memoryMiB', 'utilization', 'memoryUsedMiB', 'powerWatts', 'temperatureC']) if (!numField(o, k)) return `[${i}].${k}: must be a number`;
  }
  return undefined;
}

/** The node's devices from its annotation ([] when absent or malformed). */
export function nodeDevices(node: Pick<Node, 'metadata'>): NodeDeviceInfo[] {
  const raw = node.metadata.annotations?.[nodeDevicesAnnotation];
  if (raw === undefined || nodeDevicesRule(raw) !== undefined) return [];
  return JSON.parse(raw) as NodeDeviceInfo[];
}
