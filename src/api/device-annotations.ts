/**
 * Docker's device flags on a Pod (lcctl run --gpus/--device/--device-cgroup-rule): Kubernetes has no
 * field for them, so they ride on annotations the API validates and the node's devices hook reads.
 * CDI devices use Kubernetes' own annotation (`cdi.k8s.io/<key>: vendor.com/class=name,...`).
 */

/** Which GPUs of the node: 'all', or a comma list of nvidia-smi indexes and/or UUIDs (`--gpus '"device=0,2"'`). */
export const GPU_DEVICES_ANNOTATION = 'lantern.dev/gpu-devices';
/** Host devices, comma-separated in Docker's syntax HOST[:CONTAINER[:PERMS]] (`--device`). */
export const HOST_DEVICES_ANNOTATION = 'lantern.dev/host-devices';
/** Device cgroup allow rules, comma-separated in Docker's syntax 'c 188:* rwm' (`--device-cgroup-rule`). */
export const DEVICE_CGROUP_RULES_ANNOTATION = 'lantern.dev/device-cgroup-rules';
/** Docker's --gpus capabilities= list (NVIDIA_DRIVER_CAPABILITIES in the container). */
export const GPU_CAPABILITIES_ANNOTATION = 'lantern.dev/gpu-capabilities';
/** Kubernetes' CDI annotation prefix: each value is a comma list of fully-qualified CDI device names. */
export const CDI_ANNOTATION_PREFIX = 'cdi.k8s.io/';

/** A host device as --device gives it. */
export interface HostDevice { hostPath: string; path: string; permissions: string }

const GPU_ID = /^([0-9]{1,4}|[A-Za-z0-9][A-Za-z0-9:_.-]{0,127})$/;
const CDI_NAME = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?\/[a-zA-Z0-9]([a-zA-Z0-9_.-]*[a-zA-Z0-9])?=[a-zA-Z0-9_.:-]+$/;
const RULE = /^[abc] (\*|[0-9]+):(\*|[0-9]+) [rwm]{1,3}$/;
const PERMS = /^(?!.*(.).*\1)[rwm]{1,3}$/;
const MAX_ITEMS = 64;

const split = (v: string): string[] => v.split(',').map((s) => s.trim()).filter((s) => s !== '');

/** The GPU choice: undefined for 'all' (any of the node's), else the indexes/UUIDs; throws on a bad list. */
export function parseGpuDevices(v: string): string[] | undefined {
  if (v.trim() === 'all') return undefined;
  const ids = split(v);
  if (ids.length === 0 || ids.length > MAX_ITEMS) throw new Error(`expected "all" or 1 to ${MAX_ITEMS} GPU indexes or UUIDs, comma-separated (e.g. 0,2 or GPU-8f6c...)`);
  for (const id of ids) if (!GPU_ID.test(id)) throw new Error(`${JSON.stringify(id)} is not a GPU index or UUID`);
  return ids;
}

/** One --device value: HOST[:CONTAINER[:PERMS]], or HOST:PERMS as Docker also takes. */
export function parseHostDevice(raw: string): HostDevice {
  const parts = raw.split(':');
  const hostPath = parts[0] ?? '';
  let path = hostPath;
  let permissions = 'rwm';
  if (parts.length === 2) {
    if (PERMS.test(parts[1]!)) permissions = parts[1]!; else path = parts[1]!;
  } else if (parts.length === 3) {
    path = parts[1]!;
    permissions = parts[2]!;
  } else if (parts.length > 3) throw new Error(`invalid device specification ${JSON.stringify(raw)}: expected HOST[:CONTAINER[:PERMISSIONS]]`);
  for (const p of [hostPath, path]) {
    if (!p.startsWith('/') || p.split('/').includes('..')) throw new Error(`invalid device specification ${JSON.stringify(raw)}: ${JSON.stringify(p)} must be an absolute path without '..'`);
  }
  if (!PERMS.test(permissions)) throw new Error(`invalid device specification ${JSON.stringify(raw)}: permissions ${JSON.stringify(permissions)} must be some of r, w, m`);
  return { hostPath, path, permissions };
}

/** The host devices of the annotation; throws on a bad entry. */
export function parseHostDevices(v: string): HostDevice[] {
  const items = split(v);
  if (items.length > MAX_ITEMS) throw new Error(`at most ${MAX_ITEMS} devices`);
  return items.map(parseHostDevice);
}

/** The cgroup rules of the annotation; throws on a bad one. */
export function parseCgroupRules(v: string): string[] {
  const items = split(v);
  if (items.length > MAX_ITEMS) throw new Error(`at most ${MAX_ITEMS} rules`);
  for (const r of items) if (!RULE.test(r)) throw new Error(`invalid device cgroup rule ${JSON.stringify(r)}: expected 'TYPE MAJOR:MINOR ACCESS' such as 'c 188:* rwm'`);
  return items;
}

/** Fully-qualified CDI device names (vendor.com/class=name) of one cdi.k8s.io/ annotation; throws on a bad one. */
export function parseCdiNames(v: string): string[] {
  const items = split(v);
  if (items.length === 0 || items.length > MAX_ITEMS) throw new Error(`expected 1 to ${MAX_ITEMS} CDI device names`);
  for (const n of items) if (!CDI_NAME.test(n)) throw new Error(`${JSON.stringify(n)} is not a fully-qualified CDI device name (vendor.com/class=name)`);
  return items;
}

/** Every CDI device name the pod's cdi.k8s.io/ annotations ask for (bad ones skipped: the API refuses them). */
export function podCdiNames(annotations: Record<string, string> | undefined): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(annotations ?? {})) {
    if (!k.startsWith(CDI_ANNOTATION_PREFIX)) continue;
    try { out.push(...parseCdiNames(v)); } catch { /* refused at admission */ }
  }
  return out;
}
