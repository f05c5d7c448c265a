/**
 * Which user-defined networks (lantern.dev/v1 Network) a pod is on, read from its annotations: the
 * primary one that replaces the default network's eth0 (`lcctl run --network NAME`, Docker's meaning)
 * and extra ones after Multus' convention (`k8s.v1.cni.cncf.io/networks`: "a,b" or a JSON list of
 * {name, ips, interface}). Pure, so the CLI, the API server and the agent read it the same way.
 */
import type { Pod } from './pod.js';
import { ipFamily } from './ip.js';

/** The annotations that put a pod on user networks. */
export const NetworkAnnotations = {
  /** The pod's primary network (its eth0 and pod IP), instead of the node's default network. */
  primary: 'lantern.dev/network',
  /** The address asked for on the primary network (docker run --ip). */
  ip: 'lantern.dev/network-ip',
  /** Driver parameters for the primary network, "k=v,k=v" (sriov_vf=2). */
  params: 'lantern.dev/network-params',
  /** JSON {"NETWORK": ["alias", ...]}: the names the pod answers to on each network (for the DNS server). */
  aliases: 'lantern.dev/network-aliases',
  /** Extra networks, Multus' convention. */
  multus: 'k8s.v1.cni.cncf.io/networks',
} as const;

/** One network a pod is attached to. */
export interface PodAttachment {
  network: string;
  /** The interface name inside the pod: eth0 for the primary, net1, net2... for extras. */
  ifName: string;
  ip?: string;
  params: Record<string, string>;
}

/** The attachments a pod asks for, or an error naming the annotation at fault. */
export type AttachmentsResult = { ok: true; attachments: PodAttachment[] } | { ok: false; error: string };

const NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const IFNAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$/;

/** Parse "k=v,k=v" (the params annotation). */
export function parseParams(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (text ?? '').split(',')) {
    const eq = part.indexOf('=');
    if (part.trim() === '') continue;
    out[(eq < 0 ? part : part.slice(0, eq)).trim()] = eq < 0 ? '' : part.slice(eq + 1).trim();
  }
  return out;
}

/** Multus' text form "ns/name@ifname,name" or its JSON list, as extra attachments (no interface name yet). */
function extraEntries(raw: string): Array<{ network: string; ifName?: string; ips?: string[] }> | string {
  const text = raw.trim();
  if (text === '') return [];
  if (text.startsWith('[')) {
    let parsed: unknown;
    try { parsed = JSON.parse(text); } catch (e) { return `is not valid JSON: ${(e as Error).message}`; }
    if (!Array.isArray(parsed)) return 'must be a JSON list of {"name", "ips", "interface"}';
    const out: Array<{ network: string; ifName?: string; ips?: string[] }> = [];
    for (const [i, v] of parsed.entries()) {
      if (typeof v !== 'object' || v === null || typeof (v as { name?: unknown }).name !== 'string') return `entry ${i} must be an object with a "name"`;
      const e = v as { name: string; ips?: unknown; interface?: unknown };
      if (e.ips !== undefined && !(Array.isArray(e.ips) && e.ips.every((x) => typeof x === 'string'))) return `entry ${i}: "ips" must be a list of addresses`;
      if (e.interface !== undefined && typeof e.interface !== 'string') return `entry ${i}: "interface" must be a string`;
      out.push({ network: e.name, ifName: e.interface as string | undefined, ips: e.ips as string[] | undefined });
    }
    return out;
  }
  return text.split(',').map((s) => s.trim()).filter((s) => s !== '').map((s) => {
    const [ref = '', ifName] = s.split('@');
    const network = ref.includes('/') ? ref.slice(ref.indexOf('/') + 1) : ref;
    return { network, ifName };
  });
}

/** The user networks the pod asks for, in order (primary first); an error names the annotation and what to fix. */
export function podAttachments(pod: Pod): AttachmentsResult {
  const ann = pod.metadata.annotations ?? {};
  const out: PodAttachment[] = [];
  const primary = ann[NetworkAnnotations.primary];
  if (primary !== undefined) {
    out.push({ network: primary, ifName: 'eth0', ip: ann[NetworkAnnotations.ip], params: parseParams(ann[NetworkAnnotations.params]) });
  }
  const extras = extraEntries(ann[NetworkAnnotations.multus] ?? '');
  if (typeof extras === 'string') return { ok: false, error: `annotation ${NetworkAnnotations.multus} ${extras}` };
  let n = 1;
  for (const e of extras) {
    const ip = e.ips?.[0]?.split('/')[0];
    out.push({ network: e.network, ifName: e.ifName ?? `net${n++}`, ip, params: {} });
  }
  const seenIf = new Set<string>();
  const seenNet = new Set<string>();
  for (const a of out) {
    if (!NAME.test(a.network)) return { ok: false, error: `network name ${JSON.stringify(a.network)} is not a valid Network name (lower case letters, digits, '-' and '.')` };
    if (!IFNAME.test(a.ifName)) return { ok: false, error: `interface name ${JSON.stringify(a.ifName)} for network ${a.network} must be 1-15 characters [A-Za-z0-9_.-]` };
    if (a.ip !== undefined && ipFamily(a.ip) !== 4) return { ok: false, error: `address ${JSON.stringify(a.ip)} for network ${a.network} must be an IPv4 address` };
    if (seenIf.has(a.ifName)) return { ok: false, error: `interface ${a.ifName} is named twice: give each network its own interface` };
    if (seenNet.has(a.network)) return { ok: false, error: `network ${a.network} is named twice: a pod is on each network once` };
    seenIf.add(a.ifName);
    seenNet.add(a.network);
  }
  return { ok: true, attachments: out };
}

/** The aliases the pod answers to on each network (the container name is the DNS server's to add). */
export function podAliases(pod: Pod): Record<string, string[]> {
  const raw = pod.metadata.annotations?.[NetworkAnnotations.aliases];
  if (raw === undefined) return {};
  try {
    const v = JSON.parse(raw) as unknown;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return {};
    const out: Record<string, string[]> = {};
    for (const [k, list] of Object.entries(v)) if (Array.isArray(list)) out[k] = list.filter((x): x is string => typeof x === 'string');
    return out;
  } catch { return {}; }
}

/** The extended resource a node advertises for the free VFs of a PF (a label-key-safe name). */
export const sriovResourceName = (pf: string): string => `lantern.dev/sriov-${pf.replace(/[^A-Za-z0-9._-]/g, '_')}`;
