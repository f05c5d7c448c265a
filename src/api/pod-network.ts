/**
 * The pod network's annotations on Node objects, shared by the server (node IPAM, node restriction)
 * and the agents (routes). The server writes the backend and the cluster range with spec.podCIDR; each
 * agent writes only its own VTEP MAC and address (node restriction checks both).
 */
import { ipFamily } from './ip.js';

/** How pod traffic crosses nodes: VXLAN overlay, plain routes on one L2 segment, or nothing (bring your own). */
export type NetworkBackend = 'vxlan' | 'host-gw' | 'none';

/** The backends lanternd server --network-backend accepts. */
export const networkBackends: readonly NetworkBackend[] = ['vxlan', 'host-gw', 'none'];

/** Set by the server's node IPAM with spec.podCIDR (admin-only prefix node.lantern.dev/). */
export const backendAnnotation = 'node.lantern.dev/network-backend';
/** The cluster's pod range (--cluster-cidr), so agents masquerade only traffic leaving it. */
export const clusterCidrAnnotation = 'node.lantern.dev/cluster-cidr';
/** Written by the node itself: the MAC of its VXLAN device (flannel's backend-data). */
export const vtepMacAnnotation = 'network.lantern.dev/vtep-mac';
/** Written by the node itself: the address other nodes send its pods' traffic to (flannel's public-ip). */
export const nodeIpAnnotation = 'network.lantern.dev/node-ip';
/** The prefix of the annotations a node writes about its own network; nothing else under it is a node's. */
export const nodeNetworkPrefix = 'network.lantern.dev/';

/** A unicast Ethernet address in the form `ip link` prints (six lower- or upper-case hex pairs). */
export function isUnicastMac(text: string): boolean {
  if (!/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/.test(text)) return false;
  return (parseInt(text.slice(0, 2), 16) & 1) === 0 && text !== '00:00:00:00:00:00';
}

/** Why a node may not write this annotation value, or undefined when it may (keys under nodeNetworkPrefix only). */
export function nodeNetworkAnnotationRule(key: string, value: string): string | undefined {
  if (key === vtepMacAnnotation) {
    return isUnicastMac(value) ? undefined : `must be a unicast MAC address such as 02:42:ac:11:00:02, got ${JSON.stringify(value.slice(0, 64))}`;
  }
  if (key === nodeIpAnnotation) {
    return ipFamily(value) === 4 ? undefined : `must be the node's IPv4 address such as 192.168.1.10, got ${JSON.stringify(value.slice(0, 64))}`;
  }
  return `a node may set only ${vtepMacAnnotation} and ${nodeIpAnnotation} under ${nodeNetworkPrefix}`;
}
