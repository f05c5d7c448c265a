/**
 * Docker's `--gpus` (opts/gpus.go): a CSV record of `all`, a count, or key=value fields (driver, count,
 * device, capabilities, options), e.g. all, 2, '"device=0,2"', 'device=GPU-<uuid>',
 * '"capabilities=compute,utility"'. Mapped onto resources.limits nvidia.com/gpu plus annotations
 * (api/device-annotations.ts) for the GPUs it names and the capabilities.
 */
import type { Container, Pod } from '../../api/pod.js';
import type { Node } from '../../api/node.js';
import { GPU_CAPABILITIES_ANNOTATION, GPU_DEVICES_ANNOTATION } from '../../api/device-annotations.js';
import { parseQuantity } from '../../api/quantity.js';
import { UsageError } from '../errors.js';

/** Docker's DeviceRequest, as --gpus fills it. */
export interface GpuRequest {
  driver?: string;
  /** -1: all. */
  count: number;
  deviceIds: string[];
  capabilities: string[];
  options: Record<string, string>;
}

/** One CSV record, as Go's encoding/csv reads it (quoted fields, "" for a quote; a bare quote is an error). */
export function csvFields(value: string): string[] {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (value[i] === '"') {
      i++;
      for (;;) {
        if (i >= value.length) throw new Error('extraneous or missing " in quoted-field');
        if (value[i] === '"') {
          if (value[i + 1] === '"') { field += '"'; i += 2; continue; }
          i++;
          break;
        }
        field += value[i++];
      }
      if (i < value.length && value[i] !== ',') throw new Error('extraneous or missing " in quoted-field');
    } else {
      while (i < value.length && value[i] !== ',') {
        if (value[i] === '"') throw new Error('bare " in non-quoted-field');
        field += value[i++];
      }
    }
    out.push(field);
    if (i >= value.length) return out;
    i++; // the comma
  }
}

/** Parse one --gpus value the way Docker does; throws UsageError with Docker's words. */
export function parseGpus(value: string): GpuRequest {
  let fields: string[];
  try { fields = csvFields(value); } catch (e) { throw new UsageError(`invalid argument "${value}" for "--gpus" flag: ${(e as Error).message}`); }
  const req: GpuRequest = { count: 0, deviceIds: [], capabilities: [], options: {} };
  const bad = (msg: string): UsageError => new UsageError(`invalid argument "${value}" for "--gpus" flag: ${msg}`);
  for (const field of fields) {
    const eq = field.indexOf('=');
    if (eq < 0) {
      if (field === 'all') { req.count = -1; continue; }
      if (!/^[0-9]+$/.test(field)) throw bad(`unexpected key '${field}' in '${value}'`);
      req.count = Number(field);
      continue;
    }
    const key = field.slice(0, eq);
    const val = field.slice(eq + 1);
    switch (key) {
      case 'driver': req.driver = val; break;
      case 'count':
        if (val === 'all') req.count = -1;
        else if (/^[0-9]+$/.test(val)) req.count = Number(val);
        else throw bad(`strconv.Atoi: parsing "${val}": invalid syntax`);
        break;
      case 'device': req.deviceIds = val.split(',').filter((d) => d !== ''); break;
      case 'capabilities': req.capabilities = val.split(',').filter((c) => c !== ''); break;
      case 'options': for (const o of val.split(',')) { const i = o.indexOf('='); if (i > 0) req.options[o.slice(0, i)] = o.slice(i + 1); } break;
      default: throw bad(`unexpected key '${key}' in '${field}'`);
    }
  }
  if (req.count !== 0 && req.deviceIds.length > 0) throw bad('cannot set both Count and DeviceIDs on device request');
  if (req.driver !== undefined && req.driver !== '' && req.driver !== 'nvidia') throw bad(`driver ${JSON.stringify(req.driver)}: only nvidia GPUs are known to --gpus (use --device for others)`);
  return req;
}

/** Put the request on the pod: limits nvidia.com/gpu, the GPUs named, the capabilities beyond "gpu". */
export function applyGpus(pod: Pod, c: Container, req: GpuRequest): void {
  const n = req.deviceIds.length > 0 ? req.deviceIds.length : req.count;
  if (n === 0) return;
  const annotations = pod.metadata.annotations ??= {};
  // "all": every GPU of one node; lcctl run sets the count from the nodes (resolveAllGpus) before creating.
  const count = n < 0 ? 1 : n;
  c.resources = { ...c.resources, limits: { ...c.resources?.limits, 'nvidia.com/gpu': String(count) } };
  if (req.deviceIds.length > 0) annotations[GPU_DEVICES_ANNOTATION] = req.deviceIds.join(',');
  else if (n < 0) annotations[GPU_DEVICES_ANNOTATION] = 'all';
  const caps = req.capabilities.filter((x) => x !== 'gpu');
  if (caps.length > 0) annotations[GPU_CAPABILITIES_ANNOTATION] = caps.join(',');
}

/** `--gpus all`: as many GPUs as the node with the most has (at least 1, so a cluster without GPUs says so). */
export function resolveAllGpus(pod: Pod, nodes: readonly Node[]): void {
  if (pod.metadata.annotations?.[GPU_DEVICES_ANNOTATION] !== 'all') return;
  const most = Math.max(1, ...nodes.map((n) => parseQuantity(n.status?.allocatable?.['nvidia.com/gpu'] ?? '0') ?? 0));
  for (const c of pod.spec.containers) {
    if (c.resources?.limits?.['nvidia.com/gpu'] !== undefined) c.resources.limits['nvidia.com/gpu'] = String(Math.floor(most));
  }
}

/** True when the pod asks for a device resource (a name with a '/') that no node has that much capacity of. */
export function neverFits(pod: Pod, nodes: readonly Node[]): boolean {
  const want = new Map<string, number>();
  for (const c of pod.spec.containers) {
    for (const [r, q] of Object.entries(c.resources?.limits ?? {})) {
      if (!r.includes('/')) continue;
      want.set(r, (want.get(r) ?? 0) + (parseQuantity(q) ?? 0));
    }
  }
  if (want.size === 0) return false;
  return !nodes.some((n) => [...want].every(([r, v]) => (parseQuantity(n.status?.capacity?.[r] ?? '0') ?? 0) >= v));
}
