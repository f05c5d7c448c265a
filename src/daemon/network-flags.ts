/** `lanternd server`'s pod network flags: --cluster-cidr, --service-cidr, --node-cidr-mask-size, --network-backend. */
import { networkBackends, type NetworkBackend } from '../api/pod-network.js';
import { overlaps, parseCidr } from '../network/cidr.js';

/** The cluster's address plan, as the server's components read it. */
export interface NetworkConfig {
  /** Pod addresses; each node gets a /nodeCidrMaskSize of it as spec.podCIDR (default 10.42.0.0/16). */
  clusterCidr: string;
  /** ClusterIP addresses of Services (default 10.43.0.0/16). */
  serviceCidr: string;
  /** Default 24. */
  nodeCidrMaskSize: number;
  /** How pod traffic crosses nodes (default vxlan). */
  backend: NetworkBackend;
}

/** The flags' types for parseFlags. */
export const networkFlags = { 'cluster-cidr': 'string', 'service-cidr': 'string', 'node-cidr-mask-size': 'string', 'network-backend': 'string' } as const;

/** Their lines in `lanternd server --help`. */
export const networkFlagsUsage = `  --cluster-cidr CIDR   pod addresses of the whole cluster; each node gets a range of it (default 10.42.0.0/16)
  --node-cidr-mask-size N  size of each node's range (default 24: 254 pods per node)
  --service-cidr CIDR   Service ClusterIPs (default 10.43.0.0/16); must not overlap --cluster-cidr
  --network-backend B   how pods reach pods on other nodes: vxlan (default; any network between nodes),
                        host-gw (plain routes; nodes on one L2 segment) or none (no routes between nodes)
`;

/** Parse and check the flags; an error names the flag and what to change. */
export function networkConfigFromFlags(flags: Record<string, string | boolean | undefined>): NetworkConfig {
  const clusterCidr = String(flags['cluster-cidr'] ?? '10.42.0.0/16');
  const serviceCidr = String(flags['service-cidr'] ?? '10.43.0.0/16');
  const cluster = parseCidr(clusterCidr);
  const service = parseCidr(serviceCidr);
  if (!cluster || !clusterCidr.includes('/')) throw new Error(`--cluster-cidr: "${clusterCidr}" is not an IPv4 CIDR such as 10.42.0.0/16`);
  if (!service || !serviceCidr.includes('/')) throw new Error(`--service-cidr: "${serviceCidr}" is not an IPv4 CIDR such as 10.43.0.0/16`);
  if (overlaps(cluster, service)) {
    throw new Error(`--cluster-cidr ${clusterCidr} and --service-cidr ${serviceCidr} overlap: pod and Service addresses must be distinct; change one of them`);
  }
  const maskText = String(flags['node-cidr-mask-size'] ?? '24');
  const nodeCidrMaskSize = Number(maskText);
  if (!/^\d+$/.test(maskText) || nodeCidrMaskSize < cluster.prefix || nodeCidrMaskSize > 30) {
    throw new Error(`--node-cidr-mask-size: "${maskText}" must be a prefix length between --cluster-cidr's /${cluster.prefix} and /30`);
  }
  const backend = String(flags['network-backend'] ?? 'vxlan');
  if (!networkBackends.includes(backend as NetworkBackend)) {
    throw new Error(`--network-backend: unknown backend "${backend}": use ${networkBackends.join(', ')}`);
  }
  return { clusterCidr, serviceCidr, nodeCidrMaskSize, backend: backend as NetworkBackend };
}
