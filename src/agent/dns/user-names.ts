/**
 * Docker's embedded DNS for user-defined networks: a pod on a user network resolves the other pods of
 * the SAME network by pod (container) name and by each `--network-alias`, and never the pods of other
 * networks. The asker is known by the query's source address: the address a pod on this node has on
 * one of its networks (its pod IP, or an extra attachment's address the user-networks hook reported).
 * Pure but for the maps: pods, Networks and local addresses in, answers out.
 */
import type { Answer, Question } from 'dns-packet';
import type { Pod } from '../../api/pod.js';
import type { Network, NetworkDriver } from '../../api/schema/network.js';
import { podAliases, podAttachments } from '../../api/user-networks.js';
import { clusterTtl, type Resolution } from './resolver.js';

interface Member {
  uid: string;
  nodeName: string | undefined;
  /** The pod's name, lower case (Docker's container name). */
  name: string;
  /** Network -> names it answers to there (its name and its aliases, lower case). */
  names: Map<string, Set<string>>;
  /** The primary network (eth0), when it is a user network. */
  primary: string | undefined;
  podIP: string | undefined;
}

/** The user networks' names as this node knows them. */
export class UserNetworkRecords {
  private readonly members = new Map<string, Member>();
  private readonly drivers = new Map<string, NetworkDriver>();
  /** Pod uid -> network -> address, for attachments of pods on this node that are not eth0. */
  private readonly local = new Map<string, Map<string, string>>();
  /** Address of a pod of this node -> its uids; rebuilt on the first query after a change (queries outnumber changes). */
  private byAddress: Map<string, string[]> | undefined;

  /** nodeName: this node (a bridge network's pods are answered only where they run: a bridge is one node's). */
  constructor(private readonly nodeName?: string) {}

  /** A pod was added or changed (every pod of the cluster: a macvlan network spans nodes). */
  putPod(pod: Pod): void {
    this.byAddress = undefined;
    const uid = pod.metadata.uid ?? `${pod.metadata.namespace ?? 'default'}/${pod.metadata.name}`;
    const att = podAttachments(pod);
    const phase = pod.status?.phase;
    if (!att.ok || att.attachments.length === 0 || pod.metadata.deletionTimestamp !== undefined || phase === 'Succeeded' || phase === 'Failed') {
      this.members.delete(uid);
      return;
    }
    const aliases = podAliases(pod);
    const name = pod.metadata.name.toLowerCase();
    const names = new Map<string, Set<string>>();
    for (const a of att.attachments) names.set(a.network, new Set([name, ...(aliases[a.network] ?? []).map((x) => x.toLowerCase())]));
    const primary = att.attachments.find((a) => a.ifName === 'eth0')?.network;
    this.members.set(uid, { uid, nodeName: pod.spec.nodeName, name, names, primary, podIP: pod.status?.podIP });
  }

  /** A pod was deleted. */
  deletePod(pod: Pick<Pod, 'metadata'>): void {
    this.byAddress = undefined;
    const uid = pod.metadata.uid ?? `${pod.metadata.namespace ?? 'default'}/${pod.metadata.name}`;
    this.members.delete(uid);
    this.local.delete(uid);
  }

  /** Every pod at once (an informer's list). */
  replacePods(pods: readonly Pod[]): void {
    this.byAddress = undefined;
    this.members.clear();
    for (const p of pods) this.putPod(p);
  }

  /** A Network was added or changed (its driver decides where its pods are answered). */
  putNetwork(n: Network): void { this.drivers.set(n.metadata.name, n.spec.driver); }

  /** A Network was deleted. */
  deleteNetwork(n: Pick<Network, 'metadata'>): void { this.drivers.delete(n.metadata.name); }

  /** The address a pod of this node got on a network it joined besides eth0 (undefined: detached). */
  setLocal(uid: string, network: string, ip: string | undefined): void {
    this.byAddress = undefined;
    let m = this.local.get(uid);
    if (ip === undefined) {
      m?.delete(network);
      if (m?.size === 0) this.local.delete(uid);
      return;
    }
    if (!m) this.local.set(uid, (m = new Map()));
    m.set(network, ip);
  }

  /** The pod left this node: its extra addresses go. */
  clearLocal(uid: string): void { this.local.delete(uid); this.byAddress = undefined; }

  /** The user networks of the pod of this node that has the address (none: not a pod on a user network here). */
  networksOf(source: string): Set<string> {
    const out = new Set<string>();
    for (const uid of this.addresses().get(source) ?? []) for (const n of this.members.get(uid)?.names.keys() ?? []) out.add(n);
    return out;
  }

  private addresses(): Map<string, string[]> {
    if (this.byAddress) return this.byAddress;
    const idx = new Map<string, string[]>();
    const add = (ip: string | undefined, uid: string): void => { if (ip !== undefined) idx.set(ip, [...(idx.get(ip) ?? []), uid]); };
    for (const m of this.members.values()) {
      if (this.nodeName !== undefined && m.nodeName !== this.nodeName) continue;
      add(m.podIP, m.uid);
      for (const ip of this.local.get(m.uid)?.values() ?? []) add(ip, m.uid);
    }
    return (this.byAddress = idx);
  }

  /** The addresses NAME has on network: the pods called so there, or with that alias. */
  lookup(network: string, name: string): string[] {
    const out: string[] = [];
    const bridge = this.drivers.get(network) === 'bridge';
    for (const m of this.members.values()) {
      if (!m.names.get(network)?.has(name)) continue;
      if (bridge && this.nodeName !== undefined && m.nodeName !== this.nodeName) continue;
      const ip = this.local.get(m.uid)?.get(network) ?? (m.primary === network ? m.podIP : undefined);
      if (ip !== undefined && !out.includes(ip)) out.push(ip);
    }
    return out;
  }
}

/**
 * The answer for a container name or alias (NAME, or NAME.NETWORK as Docker also answers) asked by
 * source; undefined: not such a name for this asker (the usual cluster zone / forwarding goes on).
 */
export function resolveUserName(q: Question, source: string | undefined, records: UserNetworkRecords): Resolution | undefined {
  if (source === undefined) return undefined;
  const name = q.name.replace(/\.$/, '').toLowerCase();
  const labels = name.split('.');
  if (labels.length > 2 || labels[0] === '') return undefined;
  const mine = records.networksOf(source);
  if (mine.size === 0) return undefined;
  const networks = labels.length === 2 ? (mine.has(labels[1]!) ? [labels[1]!] : []) : [...mine];
  const ips = [...new Set(networks.flatMap((n) => records.lookup(n, labels[0]!)))];
  if (ips.length === 0) return undefined;
  const type: string = q.type;
  const answers: Answer[] = type === 'A' || type === 'ANY' ? ips.map((ip) => ({ type: 'A', name: q.name, ttl: clusterTtl, data: ip })) : [];
  // The name exists: other types get NOERROR without data (an AAAA asked beside the A must not go upstream).
  return { kind: 'answer', rcode: 'NOERROR', answers, additionals: [], authorities: [] };
}
