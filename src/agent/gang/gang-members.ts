/**
 * What a gang member's containers learn of their group, as PyTorch's launcher (env://) expects:
 * WORLD_SIZE, RANK, MASTER_ADDR, MASTER_PORT, and an /etc/hosts line per member. Pure: the agent
 * reads the pods (gang-wait.ts) and hands them here.
 */
import type { Pod } from '../../api/pod.js';
import { GangAnnotations } from '../../api/annotations.js';
import { JobLabels } from '../../api/job-labels.js';
import { ipFamily } from '../../api/ip.js';

/** A name /etc/hosts may carry: DNS characters only, nothing a reader could take for another field or line. */
const hostsName = /^[a-z0-9][-a-z0-9.]{0,62}$/;

/** Annotation overriding MASTER_PORT (default 29500, torchrun's). */
export const masterPortAnnotation = 'scheduling.lantern.dev/master-port';
/** torchrun's default rendezvous port. */
export const defaultMasterPort = 29500;

/** What the containers of a member get once every member has an address. */
export interface GangConfig {
  env: Record<string, string>;
  hosts: Array<{ ip: string; names: string[] }>;
}

/** Either the member's config, or why it still waits (the container's Waiting message). */
export type GangResolution = { config: GangConfig } | { waiting: string };

/** The name a member is known by in every member's /etc/hosts: its hostname (as its containers see it). */
export function memberHostname(pod: Pod): string {
  return (pod.spec.hostname ?? pod.metadata.name).slice(0, 63);
}

/** The group size: the pods' min-available annotation, else the PodGroup's minMember, else how many members exist. */
export function worldSize(pod: Pod, podGroupMinMember: number | undefined, memberCount: number): number {
  const n = Number(pod.metadata.annotations?.[GangAnnotations.minAvailable]);
  if (Number.isInteger(n) && n >= 1) return n;
  return podGroupMinMember ?? memberCount;
}

function completionIndex(pod: Pod): number | undefined {
  const raw = pod.metadata.annotations?.[JobLabels.completionIndex];
  const n = raw !== undefined && /^[0-9]+$/.test(raw) ? Number(raw) : NaN;
  return Number.isInteger(n) ? n : undefined;
}

/**
 * The members that count: same namespace and group, not being deleted, not Failed (a failed Job pod
 * is replaced by a new one). Succeeded ones stay: a quick rank 0 may finish before a slow member starts.
 */
export function groupMembers(self: Pod, pods: readonly Pod[]): Pod[] {
  const group = self.metadata.annotations?.[GangAnnotations.group];
  const ns = self.metadata.namespace ?? 'default';
  const out = pods.filter((p) => p.metadata.annotations?.[GangAnnotations.group] === group
    && (p.metadata.namespace ?? 'default') === ns && !p.metadata.deletionTimestamp && p.status?.phase !== 'Failed'
    && p.metadata.uid !== self.metadata.uid);
  return [...out, self].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
}

/** RANK: the completion index when the pod has one, else its position among the members sorted by name. */
export function memberRank(pod: Pod, sortedMembers: readonly Pod[]): number {
  return completionIndex(pod) ?? sortedMembers.findIndex((p) => p.metadata.uid === pod.metadata.uid);
}

/**
 * Decide for `self` (whose own address is selfIP) given every pod of the namespace: wait until
 * `size` members are bound with a pod IP and rank 0 is among them, then give the env and hosts.
 */
export function resolveGang(self: Pod, selfIP: string, pods: readonly Pod[], podGroupMinMember: number | undefined): GangResolution {
  const group = self.metadata.annotations?.[GangAnnotations.group] ?? '';
  const members = groupMembers(self, pods);
  const size = worldSize(self, podGroupMinMember, members.length);
  // Another node wrote each member's podIP: one that is not a plain IP address counts as none, so no
  // line of /etc/hosts ever comes from it (the API refuses such IPs too; this holds even for stored ones).
  const ipOf = (p: Pod): string | undefined => {
    const ip = p.metadata.uid === self.metadata.uid ? selfIP : p.spec.nodeName ? p.status?.podIP : undefined;
    return ip !== undefined && ipFamily(ip) !== 0 ? ip : undefined;
  };
  const addressed = members.filter((p) => ipOf(p) !== undefined);
  const rank0 = addressed.find((p) => memberRank(p, addressed) === 0);
  if (addressed.length < size || !rank0) {
    const missing = Math.max(1, size - addressed.length);
    return { waiting: `waiting for ${missing} of ${size} members of group ${group} to get addresses` };
  }
  const hosts: GangConfig['hosts'] = [];
  const seen = new Set<string>();
  // Self first, so a hostname two members share still names this pod in its own file.
  for (const p of [...addressed].sort((a) => (a.metadata.uid === self.metadata.uid ? -1 : 0))) {
    const name = memberHostname(p);
    if (seen.has(name) || !hostsName.test(name)) continue;
    seen.add(name);
    hosts.push({ ip: ipOf(p)!, names: [name] });
  }
  const port = Number(self.metadata.annotations?.[masterPortAnnotation]);
  const env = {
    WORLD_SIZE: String(size),
    RANK: String(memberRank(self, addressed)),
    MASTER_ADDR: memberHostname(rank0),
    MASTER_PORT: String(Number.isInteger(port) && port > 0 && port < 65536 ? port : defaultMasterPort),
  };
  return { config: { env, hosts } };
}
