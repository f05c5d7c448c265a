/** The node's VXLAN device (VTEP): made once, kept across agent restarts, remade when its settings differ. */
import { runCommand, runTool, toolEnv } from '../exec.js';
import { vxlanDevice } from './plan.js';

/** The VXLAN header and outer IPv4/UDP/Ethernet cost 50 bytes (flannel lowers the MTU by the same). */
export const vxlanOverhead = 50;

/** What the device is and what the pods' MTU must be. */
export interface Vtep { mac: string; mtu: number; parent: string }

interface LinkJson { ifname?: string; address?: string; mtu?: number; addr_info?: { local?: string; family?: string }[]; linkinfo?: { info_kind?: string; info_data?: { id?: number; local?: string; port?: number; learning?: boolean } } }

async function links(args: string[]): Promise<LinkJson[]> {
  const r = await runCommand('ip', ['-j', ...args], { env: toolEnv() });
  if (r.code !== 0) return [];
  const v: unknown = JSON.parse(r.stdout.trim() || '[]');
  return Array.isArray(v) ? (v as LinkJson[]) : [];
}

/** The interface that holds this address, and its MTU. */
export async function linkOf(address: string): Promise<{ name: string; mtu: number }> {
  for (const l of await links(['-4', 'addr', 'show'])) {
    if (l.ifname && (l.addr_info ?? []).some((a) => a.local === address)) return { name: l.ifname, mtu: l.mtu ?? 1500 };
  }
  throw new Error(`no interface of this machine has the node address ${address}; the pod network needs the address other nodes reach it by`);
}

/**
 * Make (or keep) lantern.1: VNI 1, UDP 8472, nolearning (the agent programs fdb and neighbour entries
 * from the Node objects), local = the node's address over that address's link; MTU = link - 50; its
 * own pod range's .0/32 on it, so the node's own traffic to remote pods has a source address there.
 */
export async function ensureVxlan(localIp: string, podCidrNetwork: string): Promise<Vtep> {
  const parent = await linkOf(localIp);
  const mtu = parent.mtu - vxlanOverhead;
  const [cur] = await links(['-d', 'link', 'show', vxlanDevice.name]);
  const data = cur?.linkinfo?.info_data;
  const fits = cur && cur.linkinfo?.info_kind === 'vxlan' && data?.id === vxlanDevice.vni && data.local === localIp && data.port === vxlanDevice.port && data.learning === false;
  if (cur && !fits) await runTool('ip', ['link', 'delete', vxlanDevice.name]);
  if (!fits) {
    await runTool('ip', ['link', 'add', vxlanDevice.name, 'type', 'vxlan', 'id', String(vxlanDevice.vni), 'local', localIp, 'dev', parent.name,
      'dstport', String(vxlanDevice.port), 'nolearning']);
  }
  try {
    await runTool('ip', ['link', 'set', vxlanDevice.name, 'mtu', String(mtu), 'up']);
    await runTool('ip', ['addr', 'replace', `${podCidrNetwork}/32`, 'dev', vxlanDevice.name]);
  } catch (e) {
    if (!fits) await runCommand('ip', ['link', 'delete', vxlanDevice.name], { env: toolEnv() }).catch(() => undefined); // nothing half-made
    throw e;
  }
  const [made] = await links(['link', 'show', vxlanDevice.name]);
  if (!made?.address) throw new Error(`${vxlanDevice.name} has no MAC address after it was made`);
  return { mac: made.address.toLowerCase(), mtu, parent: parent.name };
}
