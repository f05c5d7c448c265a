/**
 * NetworkPolicy (networking.k8s.io/v1) compiled into one nftables table, a pure function: the
 * policies and every pod (IP, labels, named ports) in, the `nft -f -` script out. Only this node's
 * pods get chains: each node enforces ingress to and egress from its own pods, so traffic between
 * pods on two nodes is checked on both (egress at the sender's, ingress at the receiver's).
 */
import { labelSelectorMatches } from '../../api/label-selector.js';
import { netContains, parseIpNet } from '../../api/ip.js';
import type { NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort } from '../../api/schema/network-policy.js';

/** The label that names a namespace (there are no Namespace objects: every namespace has only this one). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** A pod as the compiler needs it. */
export interface PolicyPod {
  namespace: string;
  name: string;
  ip: string;
  labels: Record<string, string>;
  /** Container ports by name, for named ports in rules. */
  namedPorts: { name: string; port: number; protocol: 'TCP' | 'UDP' | 'SCTP' }[];
  /** Runs on this node: its traffic is enforced here. */
  local: boolean;
}

/** A matched rule: sources/destinations (undefined: any) and ports (undefined: all). */
interface Allow { addrs?: string[]; except?: string[]; l4?: string[] }

const inNs = (p: PolicyPod, ns: string): boolean => p.namespace === ns;
const nsLabels = (ns: string): Record<string, string> => ({ [NAMESPACE_NAME_LABEL]: ns });

/** Whether the policy selects the pod (same namespace, podSelector matches; `{}` selects all). */
export function selects(np: NetworkPolicy, pod: PolicyPod): boolean {
  return inNs(pod, np.metadata.namespace ?? 'default') && labelSelectorMatches(np.spec.podSelector, pod.labels);
}

/** The pods a pod-or-namespace peer names, as Kubernetes reads it. */
function peerPods(np: NetworkPolicy, peer: NetworkPolicyPeer, pods: readonly PolicyPod[]): PolicyPod[] {
  const own = np.metadata.namespace ?? 'default';
  return pods.filter((p) => (peer.namespaceSelector ? labelSelectorMatches(peer.namespaceSelector, nsLabels(p.namespace)) : inNs(p, own))
    && (peer.podSelector ? labelSelectorMatches(peer.podSelector, p.labels) : true));
}

/** nft's transport match of one port spec; a named port resolves against `owner`'s container ports. */
function portMatch(port: NetworkPolicyPort, owner: PolicyPod | undefined): string | undefined {
  const proto = (port.protocol ?? 'TCP').toLowerCase();
  if (port.port === undefined) return `meta l4proto ${proto}`;
  if (typeof port.port === 'number') return `meta l4proto ${proto} th dport ${port.endPort !== undefined ? `${port.port}-${port.endPort}` : port.port}`;
  const named = owner?.namedPorts.find((n) => n.name === port.port && n.protocol === (port.protocol ?? 'TCP'));
  return named ? `meta l4proto ${proto} th dport ${named.port}` : undefined;
}

/** The port matches of a rule for traffic to `target` (undefined: all ports; [] when none resolves). */
function portsFor(ports: readonly NetworkPolicyPort[] | undefined, target: PolicyPod | undefined): string[] | undefined {
  if (!ports?.length) return undefined;
  return ports.map((p) => portMatch(p, target)).filter((m): m is string => m !== undefined);
}

const v4 = (cidr: string): boolean => parseIpNet(cidr)?.family === 4;
const hasNamedPort = (ports: readonly NetworkPolicyPort[] | undefined): boolean => (ports ?? []).some((p) => typeof p.port === 'string');

/** What the ingress rules of the policies selecting `pod` allow in. */
function ingressAllows(policies: readonly NetworkPolicy[], pod: PolicyPod, pods: readonly PolicyPod[]): Allow[] {
  const out: Allow[] = [];
  for (const np of policies) {
    for (const rule of np.spec.ingress ?? []) {
      const l4 = portsFor(rule.ports, pod);
      if (l4 && l4.length === 0) continue;
      if (!rule.from?.length) { out.push({ l4 }); continue; }
      for (const peer of rule.from) {
        if (peer.ipBlock) {
          if (v4(peer.ipBlock.cidr)) out.push({ addrs: [peer.ipBlock.cidr], except: peer.ipBlock.except?.filter(v4), l4 });
          continue;
        }
        const addrs = peerPods(np, peer, pods).map((p) => p.ip);
        if (addrs.length > 0) out.push({ addrs, l4 });
      }
    }
  }
  return out;
}

/** What the egress rules of the policies selecting `pod` allow out; a named port resolves per destination pod. */
function egressAllows(policies: readonly NetworkPolicy[], pods: readonly PolicyPod[]): Allow[] {
  const out: Allow[] = [];
  for (const np of policies) {
    for (const rule of np.spec.egress ?? []) {
      const named = hasNamedPort(rule.ports);
      const dests = (peer: NetworkPolicyPeer | undefined): PolicyPod[] => {
        if (!peer) return [...pods];
        if (peer.ipBlock) {
          const net = parseIpNet(peer.ipBlock.cidr);
          const except = (peer.ipBlock.except ?? []).map(parseIpNet);
          return pods.filter((p) => net && netContains(net, p.ip) && !except.some((e) => e && netContains(e, p.ip)));
        }
        return peerPods(np, peer, pods);
      };
      for (const peer of rule.to?.length ? rule.to : [undefined]) {
        if (named) {
          // Each destination pod may give the name another number: one rule per pod.
          for (const d of dests(peer)) {
            const l4 = portsFor(rule.ports, d);
            if (l4 && l4.length > 0) out.push({ addrs: [d.ip], l4 });
          }
          continue;
        }
        const l4 = portsFor(rule.ports, undefined);
        if (!peer) out.push({ l4 });
        else if (peer.ipBlock) { if (v4(peer.ipBlock.cidr)) out.push({ addrs: [peer.ipBlock.cidr], except: peer.ipBlock.except?.filter(v4), l4 }); }
        else {
          const addrs = dests(peer).map((p) => p.ip);
          if (addrs.length > 0) out.push({ addrs, l4 });
        }
      }
    }
  }
  return out;
}

/** One chain's rules: each allow returns to the base chain (so the other direction is checked too); the rest is dropped. */
function chainRules(allows: readonly Allow[], field: 'saddr' | 'daddr'): string[] {
  const lines: string[] = [];
  for (const a of allows) {
    const addr = a.addrs ? `ip ${field} { ${a.addrs.join(', ')} } ` : '';
    const except = a.except?.length ? `ip ${field} != { ${a.except.join(', ')} } ` : '';
    for (const l4 of a.l4 ?? ['']) lines.push(`${addr}${except}${l4 ? `${l4} ` : ''}return`);
  }
  lines.push('counter drop');
  return lines;
}

/** Which table to write and for which pods. */
export interface CompileInput {
  table: string;
  policies: readonly NetworkPolicy[];
  pods: readonly PolicyPod[];
}

/**
 * The nft script that replaces the table in one transaction. Pods selected by no policy (for a
 * direction) get no chain for it: they stay open. Replies of allowed connections pass by conntrack.
 */
export function compilePolicies(input: CompileInput): string {
  const { table, policies } = input;
  const pods = input.pods.filter((p) => parseIpNet(`${p.ip}/32`)?.family === 4);
  const ingressMap: string[] = [];
  const egressMap: string[] = [];
  const chains: string[] = [];
  let n = 0;
  for (const pod of pods.filter((p) => p.local).sort((a, b) => a.ip.localeCompare(b.ip))) {
    const selecting = policies.filter((np) => selects(np, pod));
    const ingress = selecting.filter((np) => (np.spec.policyTypes ?? ['Ingress']).includes('Ingress'));
    const egress = selecting.filter((np) => (np.spec.policyTypes ?? []).includes('Egress'));
    const id = n++;
    const comment = `comment "${pod.namespace}/${pod.name}"`;
    if (ingress.length > 0) {
      ingressMap.push(`${pod.ip} : jump in-${id}`);
      chains.push(`  chain in-${id} {\n    ${comment}\n${chainRules(ingressAllows(ingress, pod, pods), 'saddr').map((l) => `    ${l}`).join('\n')}\n  }`);
    }
    if (egress.length > 0) {
      egressMap.push(`${pod.ip} : jump out-${id}`);
      chains.push(`  chain out-${id} {\n    ${comment}\n${chainRules(egressAllows(egress, pods), 'daddr').map((l) => `    ${l}`).join('\n')}\n  }`);
    }
  }
  const forward = [
    'type filter hook forward priority filter; policy accept;',
    'ct state established,related accept',
    ...(ingressMap.length ? [`ip daddr vmap { ${ingressMap.join(', ')} }`] : []),
    ...(egressMap.length ? [`ip saddr vmap { ${egressMap.join(', ')} }`] : []),
  ];
  return [
    // Create, delete and define again: the table is replaced in one transaction, never missing.
    `table inet ${table}`,
    `delete table inet ${table}`,
    `table inet ${table} {`,
    `  chain forward {\n${forward.map((l) => `    ${l}`).join('\n')}\n  }`,
    ...chains,
    '}',
    '',
  ].join('\n');
}
