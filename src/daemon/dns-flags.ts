/** The node's cluster DNS flags, for `lanternd server` (its own node) and `lanternd agent`: --cluster-domain, --resolv-conf, --no-cluster-dns. */
import { FlagError } from './flags.js';

/** What the node's DNS is told (agent/dns/node-dns.ts NodeDnsOptions). */
export interface NodeDnsConfig {
  /** The cluster domain (default cluster.local). */
  clusterDomain: string;
  /** Upstream resolvers and the host's search path (default /etc/resolv.conf). */
  resolvConf: string;
}

/** The flags' types for parseFlags. */
export const dnsFlags = { 'cluster-domain': 'string', 'resolv-conf': 'string', 'no-cluster-dns': 'boolean' } as const;

/** Their lines in --help. */
export const dnsFlagsUsage = `  --cluster-domain D    the cluster's DNS domain: SVC.NS.svc.D (default cluster.local)
  --resolv-conf FILE    the node's resolvers: outside names are forwarded to its nameservers and pods
                        get its search path (default /etc/resolv.conf)
  --no-cluster-dns      no DNS server on this node: pods get the node's resolvers
`;

/** Parse and check the flags; undefined with --no-cluster-dns. */
export function dnsConfigFromFlags(flags: Record<string, string | boolean | undefined>): NodeDnsConfig | undefined {
  if (flags['no-cluster-dns']) return undefined;
  const clusterDomain = String(flags['cluster-domain'] ?? 'cluster.local').replace(/\.$/, '').toLowerCase();
  const label = '[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?';
  if (clusterDomain.length > 253 || !new RegExp(`^${label}(\\.${label})*$`).test(clusterDomain)) {
    throw new FlagError(`--cluster-domain: "${clusterDomain}" is not a DNS domain such as cluster.local (letters, digits and "-" in dot-separated labels)`);
  }
  const resolvConf = String(flags['resolv-conf'] ?? '/etc/resolv.conf');
  if (resolvConf === '' || resolvConf === 'true') throw new FlagError('--resolv-conf: name a file such as /etc/resolv.conf');
  return { clusterDomain, resolvConf };
}
