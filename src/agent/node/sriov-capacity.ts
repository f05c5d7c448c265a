/**
 * The node advertises the VFs of every SR-IOV PF a Network names as the extended resource
 * lantern.dev/sriov-<PF> (capacity = allocatable = VFs enabled and usable, as the SR-IOV device plugin
 * of Kubernetes does); sriov pods request one, so the scheduler's resource fit sends them only where
 * a VF is free. PFs this node lacks are left out, so the resource is 0 there.
 */
import type { Node } from '../../api/node.js';
import type { Network } from '../../api/schema/network.js';
import { sriovResourceName } from '../../api/user-networks.js';
import type { ApiClient } from '../../client/types.js';
import type { UserNetworks } from '../../network/user/user-networks.js';

/** The lantern.dev/sriov-* quantities this node has now. */
export async function sriovResources(api: ApiClient, nets: UserNetworks): Promise<Record<string, string>> {
  const pfs = new Set((await api.list<Network>('networks')).items.filter((n) => n.spec.driver === 'sriov').map((n) => n.spec.physicalInterface ?? ''));
  const out: Record<string, string> = {};
  for (const pf of pfs) {
    try {
      const { total } = await nets.sriovCounts(pf);
      out[sriovResourceName(pf)] = String(total);
    } catch { /* not a PF on this node */ }
  }
  return out;
}

/** Write them into the Node's capacity and allocatable when they changed (other resources kept). */
export async function advertiseSriov(api: ApiClient, nodeName: string, nets: UserNetworks): Promise<void> {
  const want = await sriovResources(api, nets);
  const node = await api.get<Node>('nodes', nodeName);
  const strip = (r: Record<string, string> | undefined): Record<string, string> =>
    Object.fromEntries(Object.entries(r ?? {}).filter(([k]) => !k.startsWith('lantern.dev/sriov-')));
  const capacity = { ...strip(node.status?.capacity), ...want };
  const allocatable = { ...strip(node.status?.allocatable), ...want };
  if (JSON.stringify(capacity) === JSON.stringify(node.status?.capacity ?? {}) && JSON.stringify(allocatable) === JSON.stringify(node.status?.allocatable ?? {})) return;
  await api.updateStatus('nodes', { ...node, status: { ...node.status, capacity, allocatable } });
}

/** Advertise now and every intervalMs; returns the stop function. */
export function startSriovAdvertiser(api: ApiClient, nodeName: string, nets: UserNetworks, log: (m: string) => void, intervalMs = 10_000): () => void {
  const once = (): void => { void advertiseSriov(api, nodeName, nets).catch((e: unknown) => log(`sriov capacity: ${String(e)}`)); };
  once();
  const t = setInterval(once, intervalMs);
  t.unref();
  return () => clearInterval(t);
}
