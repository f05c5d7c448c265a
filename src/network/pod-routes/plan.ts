/**
 * What one node must program so its pods reach every other node's pods (pure: peers in, kernel
 * entries out). flannel's backends are the model:
 *   vxlan:   route PODCIDR via PODCIDR.0 dev lantern.1 onlink, neighbour PODCIDR.0 -> peer VTEP MAC,
 *            fdb VTEP MAC -> peer address (the kernel then wraps frames in UDP 8472 to that address);
 *   host-gw: route PODCIDR via peer address (nodes on one L2 segment).
 */
import { isIPv4 } from 'node:net';
import { parseCidr } from '../cidr.js';

/** The VXLAN device every node makes (flannel: flannel.1): VNI 1, UDP 8472 (the Linux kernel's default IANA port is 4789; flannel and k3s use 8472). */
export const vxlanDevice = { name: 'lantern.1', vni: 1, port: 8472 } as const;

/** Backends that program routes. */
export type RoutedBackend = 'vxlan' | 'host-gw';

/** Another node as the pod network sees it (from its Node object). */
export interface Peer {
  name: string;
  podCIDR?: string;
  /** The address its pods' traffic goes to (network.lantern.dev/node-ip). */
  nodeIP?: string;
  /** Its VXLAN device's MAC (network.lantern.dev/vtep-mac); vxlan only. */
  vtepMac?: string;
}

/** A route to a peer's pod range. */
export interface RouteEntry { dst: string; via: string; dev?: string; onlink?: boolean }
/** A permanent neighbour entry on the VXLAN device. */
export interface NeighEntry { ip: string; mac: string; dev: string }
/** A forwarding entry of the VXLAN device: frames for mac go to the node at dst. */
export interface FdbEntry { mac: string; dst: string; dev: string }

/** Everything programmed for the peers. */
export interface RouteEntries { routes: RouteEntry[]; neighs: NeighEntry[]; fdbs: FdbEntry[] }

/** An empty set of entries. */
export const noEntries = (): RouteEntries => ({ routes: [], neighs: [], fdbs: [] });

/** The network address of a CIDR ("10.42.3.0/24" -> "10.42.3.0"); the VTEP's address on that node. */
export function networkAddress(cidr: string): string | undefined {
  const n = parseCidr(cidr);
  if (!n || !cidr.includes('/')) return undefined;
  return [24, 16, 8, 0].map((s) => Math.floor(n.first / 2 ** s) % 256).join('.');
}

const mac = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;

/**
 * The entries for every usable peer: not this node, with a pod range and an address, a MAC for
 * vxlan, and a range that does not overlap ours or an earlier peer's (bad data from an admin must not
 * take our own pods' route away). Sorted, so equal inputs give equal plans.
 */
export function planRoutes(self: string, ownCidr: string | undefined, backend: RoutedBackend, peers: readonly Peer[]): RouteEntries {
  const out = noEntries();
  const taken = ownCidr && parseCidr(ownCidr) ? [parseCidr(ownCidr)!] : [];
  for (const p of [...peers].sort((a, b) => a.name.localeCompare(b.name))) {
    if (p.name === self || !p.podCIDR || !p.nodeIP || !isIPv4(p.nodeIP)) continue;
    const net = parseCidr(p.podCIDR);
    const gw = networkAddress(p.podCIDR);
    if (!net || !gw || taken.some((t) => t.first <= net.last && net.first <= t.last)) continue;
    const dst = `${gw}/${net.prefix}`;
    if (backend === 'host-gw') {
      taken.push(net);
      out.routes.push({ dst, via: p.nodeIP });
      continue;
    }
    const m = p.vtepMac?.toLowerCase();
    if (!m || !mac.test(m)) continue;
    taken.push(net);
    out.fdbs.push({ mac: m, dst: p.nodeIP, dev: vxlanDevice.name });
    out.neighs.push({ ip: gw, mac: m, dev: vxlanDevice.name });
    out.routes.push({ dst, via: gw, dev: vxlanDevice.name, onlink: true });
  }
  return out;
}
