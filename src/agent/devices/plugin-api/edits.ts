/**
 * A ContainerAllocateResponse as ContainerEdits (CDI's shape): envs, mounts, device nodes and
 * annotations map across; CDI device names go through the node's CDI resolver and their edits merge in.
 */
import { mergeEdits as mergeDeviceEdits } from '../edits.js';
import type { ContainerEdits } from '../types.js';
import type { ContainerAllocateResponse } from './proto.js';

/** Resolves fully-qualified CDI names (vendor.com/class=name) to their edits (G1's CDI spec reader). */
export type CdiResolver = (names: string[]) => Promise<ContainerEdits>;

/** The edits of one container's Allocate answer. */
export async function allocateEdits(res: ContainerAllocateResponse, resolveCdi?: CdiResolver): Promise<ContainerEdits> {
  const edits: ContainerEdits = {};
  if (Object.keys(res.envs ?? {}).length > 0) edits.env = { ...res.envs };
  if ((res.mounts ?? []).length > 0) {
    edits.mounts = res.mounts.map((m) => ({ destination: m.containerPath, source: m.hostPath, type: 'bind' as const, readOnly: m.readOnly, options: ['rbind', m.readOnly ? 'ro' : 'rw'] }));
  }
  if ((res.devices ?? []).length > 0) {
    edits.deviceNodes = res.devices.map((d) => ({ path: d.containerPath, hostPath: d.hostPath || d.containerPath, permissions: d.permissions || 'rwm' }));
  }
  if (Object.keys(res.annotations ?? {}).length > 0) edits.annotations = { ...res.annotations };
  const cdi = (res.cdiDevices ?? []).map((d) => d.name).filter((n) => n !== '');
  if (cdi.length > 0) {
    if (!resolveCdi) throw new Error(`the device plugin answered with CDI devices ${cdi.join(', ')}, but this node has no CDI resolver`);
    return mergeEdits(edits, await resolveCdi(cdi));
  }
  return edits;
}

/** The node's mergeEdits (env: b wins; nodes and mounts by container path) plus the annotations it leaves out. */
export function mergeEdits(a: ContainerEdits, b: ContainerEdits): ContainerEdits {
  const out = mergeDeviceEdits(a, b);
  const annotations = { ...a.annotations, ...b.annotations };
  if (Object.keys(annotations).length > 0) out.annotations = annotations;
  return out;
}
