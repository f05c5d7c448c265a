/**
 * A pod's /etc/resolv.conf by its dnsPolicy, as the kubelet writes it:
 *   ClusterFirst (default)     nameserver NODE-DNS; search NS.svc.D svc.D D + the host's; options ndots:5
 *                              (a hostNetwork pod gets the host's, as Default)
 *   ClusterFirstWithHostNet    ClusterFirst, for hostNetwork pods too
 *   Default                    the node's resolv.conf (its --resolv-conf)
 *   None                       only spec.dnsConfig
 * spec.dnsConfig is merged in last: its nameservers and searches appended, its options replacing by name.
 */
import type { Pod } from '../../api/pod.js';
import { isLoopback, type ResolvConf } from './resolv-conf.js';

/** What the runtime writes into resolv.conf (runtime/types.ts ContainerConfig.dns). */
export interface PodDns { nameservers: string[]; searches: string[]; options: string[] }

/** glibc's limits, which the kubelet enforces too. */
const maxNameservers = 3;
const maxSearches = 32;

/** True when the pod's names go to the cluster DNS (it needs the node's server listening). */
export function usesClusterDns(pod: Pod): boolean {
  const policy = pod.spec.dnsPolicy ?? 'ClusterFirst';
  const hostNet = pod.spec.hostNetwork === true || pod.spec.networkMode === 'host';
  return policy === 'ClusterFirstWithHostNet' || (policy === 'ClusterFirst' && !hostNet);
}

/**
 * The pod's resolver settings. clusterDns: the node DNS address (undefined when it cannot be had:
 * ClusterFirst then falls back to the host's, as the kubelet does without --cluster-dns).
 */
export function podDnsConfig(pod: Pod, host: ResolvConf, domain: string, clusterDns: string | undefined): PodDns {
  const policy = pod.spec.dnsPolicy ?? 'ClusterFirst';
  let base: PodDns;
  if (policy === 'None') base = { nameservers: [], searches: [], options: [] };
  else if (usesClusterDns(pod) && clusterDns) {
    const ns = pod.metadata.namespace ?? 'default';
    base = { nameservers: [clusterDns], searches: [`${ns}.svc.${domain}`, `svc.${domain}`, domain, ...host.searches], options: ['ndots:5'] };
  } else {
    // A loopback resolver of the host is not reachable from the pod's own network namespace.
    const hostNet = pod.spec.hostNetwork === true || pod.spec.networkMode === 'host';
    const nameservers = host.nameservers.filter((n) => hostNet || !isLoopback(n));
    base = { nameservers, searches: [...host.searches], options: [...host.options] };
  }
  const extra = pod.spec.dnsConfig;
  const nameservers = unique([...base.nameservers, ...(extra?.nameservers ?? [])]).slice(0, maxNameservers);
  const searches = unique([...base.searches, ...(extra?.searches ?? [])]).slice(0, maxSearches);
  const options = new Map<string, string>();
  for (const o of base.options) options.set(o.split(':')[0]!, o);
  for (const o of extra?.options ?? []) options.set(o.name, o.value !== undefined ? `${o.name}:${o.value}` : o.name);
  return { nameservers, searches, options: [...options.values()] };
}

const unique = (xs: string[]): string[] => [...new Set(xs)];
