/**
 * The CNI conflist for one pod's attachment to a user-defined Network, on Debian's plugins: bridge,
 * macvlan, ipvlan and host-device (sriov hands the prepared VF to host-device), with host-local IPAM
 * over the network's subnet (a requested --ip through host-local's `args.cni.ips`, so it is reserved).
 */
import type { Network } from '../../api/schema/network.js';
import { CNI_VERSION, type CniConfList, type CniPluginConf } from '../cni-types.js';
import { createHash } from 'node:crypto';

/** The Linux bridge of a bridge network: "ln-" and 10 hex of its name's hash (IFNAMSIZ is 16). */
export const bridgeNameOf = (network: string): string => `ln-${createHash('sha256').update(network).digest('hex').slice(0, 10)}`;

/** The CNI network name host-local keeps its leases under. */
export const cniNameOf = (network: string): string => `lantern-net-${network}`;

/** The host interface macvlan/ipvlan attach to: the parent, or its 802.1Q sub-interface PARENT.VLAN. */
export function masterOf(n: Network): string | undefined {
  const parent = n.spec.parent;
  if (parent === undefined) return undefined;
  return n.spec.vlan === undefined ? parent : vlanLinkName(parent, n.spec.vlan);
}

/** PARENT.VLAN, cut to fit IFNAMSIZ as Docker's macvlan driver does. */
export function vlanLinkName(parent: string, vlan: number): string {
  const suffix = `.${vlan}`;
  return parent.slice(0, 15 - suffix.length) + suffix;
}

/** What the conflist needs beyond the Network. */
export interface ConflistInput {
  /** host-local's data dir (leases per network name). */
  ipamDir: string;
  /** The address asked for (docker run --ip). */
  ip?: string;
  /** sriov: the VF netdev to move into the pod. */
  device?: string;
  /** The pod's default route goes through this network (its primary, eth0); extras get only their subnet. */
  defaultRoute?: boolean;
}

/** host-local over the subnet (and --ip-range), with the gateway, and the default route on the primary network only. */
function ipam(n: Network, input: ConflistInput): Record<string, unknown> {
  const range: Record<string, string> = { subnet: n.spec.subnet };
  if (n.spec.gateway !== undefined) range.gateway = n.spec.gateway;
  if (n.spec.ipRange !== undefined) {
    const [addr = '', bits = '32'] = n.spec.ipRange.split('/');
    const size = 2 ** (32 - Number(bits));
    const base = addr.split('.').reduce((a, p) => a * 256 + Number(p), 0);
    const first = Math.floor(base / size) * size;
    const dotted = (v: number): string => [24, 16, 8, 0].map((s) => Math.floor(v / 2 ** s) % 256).join('.');
    range.rangeStart = dotted(first + 1);
    range.rangeEnd = dotted(first + size - 2);
  }
  return { type: 'host-local', ranges: [[range]], ...(input.defaultRoute === true ? { routes: [{ dst: '0.0.0.0/0' }] } : {}), dataDir: input.ipamDir };
}

/** The attachment's conflist. */
export function userConflist(n: Network, input: ConflistInput): CniConfList {
  let main: CniPluginConf;
  switch (n.spec.driver) {
    case 'bridge':
      main = { type: 'bridge', bridge: bridgeNameOf(n.metadata.name), isGateway: true, ipMasq: true, hairpinMode: true, ipam: ipam(n, input) };
      break;
    case 'macvlan':
      main = { type: 'macvlan', master: masterOf(n), mode: n.spec.options?.macvlan_mode ?? 'bridge', ipam: ipam(n, input) };
      break;
    case 'ipvlan':
      main = { type: 'ipvlan', master: masterOf(n), mode: n.spec.options?.ipvlan_mode ?? 'l2', ipam: ipam(n, input) };
      break;
    case 'host-device':
      main = { type: 'host-device', device: n.spec.parent, ipam: ipam(n, input) };
      break;
    case 'sriov':
      main = { type: 'host-device', device: input.device, ipam: ipam(n, input) };
      break;
  }
  if (input.ip !== undefined) main.args = { cni: { ips: [input.ip] } };
  return { cniVersion: CNI_VERSION, name: cniNameOf(n.metadata.name), plugins: [main] };
}
