/** The Service ranges of a server: --service-cidr and --service-node-port-range, parsed and checked. */
import { parseIpNet } from '../../api/ip.js';
import { ipv4ToInt } from './range-allocator.js';

/** What Services are given: cluster IPs from serviceCidr, node ports from nodePorts. */
export interface ServiceRanges {
  /** "10.43.0.0/16". */
  serviceCidr: string;
  nodePorts: { first: number; last: number };
}

/** Kubernetes' (k3s') defaults. */
export const defaultServiceRanges: ServiceRanges = { serviceCidr: '10.43.0.0/16', nodePorts: { first: 30000, last: 32767 } };

/** The usable addresses of an IPv4 CIDR (without network and broadcast address); throws naming the flag. */
export function serviceIpBounds(cidr: string): { first: number; last: number; network: number } {
  const net = parseIpNet(cidr);
  if (!net || net.family !== 4) throw new Error(`--service-cidr: ${JSON.stringify(cidr)} is not an IPv4 CIDR such as 10.43.0.0/16`);
  if (net.prefix > 28) throw new Error(`--service-cidr: ${cidr} is too small: give at most a /28 (default 10.43.0.0/16)`);
  if (net.prefix < 12) throw new Error(`--service-cidr: ${cidr} is too large: give at least a /12, as kube-apiserver requires (default 10.43.0.0/16)`);
  const size = 2 ** (32 - net.prefix);
  const network = Math.floor(ipv4ToInt(net.address) / size) * size;
  return { network, first: network + 1, last: network + size - 2 };
}

/** Parse "30000-32767" (--service-node-port-range); throws naming the flag. */
export function parseNodePortRange(text: string): { first: number; last: number } {
  const m = /^([0-9]{1,5})-([0-9]{1,5})$/.exec(text.trim());
  const first = Number(m?.[1]);
  const last = Number(m?.[2]);
  if (!m || first < 1 || last > 65535 || first > last) throw new Error(`--service-node-port-range: ${JSON.stringify(text)} is not a port range such as 30000-32767`);
  return { first, last };
}
