/**
 * nft scripts from compiled rules, all pure: the table's fixed skeleton, a full sync (every chain,
 * set and element), and a partial sync that touches only what differs between two versions of the
 * Services that changed (kube-proxy's partial sync). Each script is one `nft -f` transaction.
 */
import type { MapElement, ServiceRules } from './compile.js';
import { masqueradeMark } from './names.js';

const serviceKey = 'ipv4_addr . inet_proto . inet_service';
const nodePortKey = 'inet_proto . inet_service';
const mark = `0x${masqueradeMark.toString(16)}`;

/** The verdict maps and the chains that do not depend on any Service. */
const skeleton: ReadonlyArray<{ name: string; def?: string; rules: string[] }> = [
  { name: 'mark-for-masquerade', rules: [`meta mark set meta mark | ${mark}`] },
  // Masquerade only what a service chain marked, then clear the mark so nothing else sees it.
  { name: 'masquerading', def: 'type nat hook postrouting priority 100; policy accept;',
    rules: [`meta mark & ${mark} == 0 return`, `meta mark set meta mark ^ ${mark}`, 'masquerade fully-random'] },
  { name: 'services', rules: [
    'ip daddr . meta l4proto . th dport vmap @service-ips',
    // NodePorts on every address of the node but loopback (kube-proxy's nftables mode does the same).
    'fib daddr type local ip daddr != 127.0.0.0/8 meta l4proto . th dport vmap @service-nodeports',
  ] },
  { name: 'nat-prerouting', def: 'type nat hook prerouting priority -100; policy accept;', rules: ['jump services'] },
  { name: 'nat-output', def: 'type nat hook output priority -100; policy accept;', rules: ['jump services'] },
  { name: 'reject-chain', rules: ['reject'] },
  { name: 'endpoints-check', rules: [
    'ip daddr . meta l4proto . th dport vmap @no-endpoint-services',
    'fib daddr type local ip daddr != 127.0.0.0/8 meta l4proto . th dport vmap @no-endpoint-nodeports',
  ] },
  // Before DNAT (priority -110), so a Service without endpoints is refused while its address is still the ClusterIP.
  { name: 'filter-input', def: 'type filter hook input priority -110; policy accept;', rules: ['ct state new jump endpoints-check'] },
  { name: 'filter-forward', def: 'type filter hook forward priority -110; policy accept;', rules: ['ct state new jump endpoints-check'] },
  { name: 'filter-output', def: 'type filter hook output priority -110; policy accept;', rules: ['ct state new jump endpoints-check'] },
];

const maps: ReadonlyArray<[string, string]> = [
  ['service-ips', serviceKey], ['service-nodeports', nodePortKey],
  ['no-endpoint-services', serviceKey], ['no-endpoint-nodeports', nodePortKey],
];

/** The chain and set names the skeleton owns (never deleted as stale). */
export const skeletonNames: ReadonlySet<string> = new Set([...skeleton.map((c) => c.name), ...maps.map(([m]) => m)]);

const pickDef = '{ typeof numgen random mod 1 : verdict; }';

function setDef(timeout: number): string {
  return `{ type ipv4_addr; flags dynamic,timeout; timeout ${timeout}s; }`;
}

function fillChain(out: string[], t: string, name: string, rules: readonly string[], flush: boolean): void {
  if (flush) out.push(`flush chain ${t} ${name}`);
  for (const r of rules) out.push(`add rule ${t} ${name} ${r}`);
}

/** Options of a full sync. */
export interface FullSyncOptions {
  /** Delete the table first, in the same transaction (a one-shot script; NftSyncer rewrites in place). */
  replace: boolean;
  /** Chains and sets in the kernel's table that no Service wants any more (periodic resync). */
  stale?: { chains: readonly string[]; sets: readonly string[]; maps: readonly string[] };
}

/** One transaction that makes the table exactly `all`. */
export function fullScript(table: string, all: Iterable<ServiceRules>, opts: FullSyncOptions): string {
  const t = `ip ${table}`;
  const out = [`add table ${t}`];
  if (opts.replace) out.push(`delete table ${t}`, `add table ${t}`);
  for (const [name, type] of maps) {
    out.push(`add map ${t} ${name} { type ${type} : verdict; }`);
    if (!opts.replace) out.push(`flush map ${t} ${name}`);
  }
  for (const c of skeleton) out.push(c.def ? `add chain ${t} ${c.name} { ${c.def} }` : `add chain ${t} ${c.name}`);
  const rules = [...all];
  for (const r of rules) for (const [name, timeout] of r.sets) out.push(`add set ${t} ${name} ${setDef(timeout)}`);
  for (const r of rules) for (const name of r.chains.keys()) out.push(`add chain ${t} ${name}`);
  for (const r of rules) for (const name of r.maps.keys()) out.push(`add map ${t} ${name} ${pickDef}`, ...(opts.replace ? [] : [`flush map ${t} ${name}`]));
  for (const c of skeleton) fillChain(out, t, c.name, c.rules, !opts.replace);
  for (const r of rules) for (const [name, elems] of r.maps) out.push(`add element ${t} ${name} { ${elems.join(', ')} }`);
  for (const r of rules) for (const [name, body] of r.chains) fillChain(out, t, name, body, !opts.replace);
  for (const r of rules) for (const e of r.elements.values()) out.push(addElement(t, e));
  if (opts.stale) {
    for (const c of opts.stale.chains) out.push(`flush chain ${t} ${c}`);
    for (const c of opts.stale.chains) out.push(`delete chain ${t} ${c}`);
    for (const s of opts.stale.sets) out.push(`delete set ${t} ${s}`);
    for (const m of opts.stale.maps) out.push(`delete map ${t} ${m}`);
  }
  return `${out.join('\n')}\n`;
}

/** Empty chains and sets (nothing refers to them yet), with the table if it is missing. */
export function createScript(table: string, chains: readonly string[], sets: ReadonlyArray<[string, number]>, maps: readonly string[] = []): string {
  const t = `ip ${table}`;
  const out = [`add table ${t}`];
  for (const [name, timeout] of sets) out.push(`add set ${t} ${name} ${setDef(timeout)}`);
  for (const m of maps) out.push(`add map ${t} ${m} ${pickDef}`);
  for (const c of chains) out.push(`add chain ${t} ${c}`);
  return `${out.join('\n')}\n`;
}

function addElement(t: string, e: MapElement): string {
  return `add element ${t} ${e.map} { ${e.key} : ${e.verdict} }`;
}

function sameRules(a: readonly string[] | undefined, b: readonly string[]): boolean {
  return a !== undefined && a.length === b.length && a.every((r, i) => r === b[i]);
}

/** What a partial sync changes, counted (for logs and tests). */
export interface PartialDiff {
  script: string;
  chainsWritten: number;
  chainsDeleted: number;
  elementsChanged: number;
}

/**
 * One transaction from `before` to `after` for the Services that changed (a removed Service: after is
 * empty). Unchanged chains are not touched; new chains exist before anything jumps to them, and old
 * ones are flushed (dropping their jumps) before any is deleted.
 */
export function partialScript(table: string, changes: ReadonlyArray<{ before: ServiceRules; after: ServiceRules }>): PartialDiff {
  const t = `ip ${table}`;
  const addSets: string[] = [];
  const addChains: string[] = [];
  const fills: string[] = [];
  const delElements: string[] = [];
  const addElements: string[] = [];
  const flushOld: string[] = [];
  const delChains: string[] = [];
  const delSets: string[] = [];
  const mapWrites: string[] = [];
  let chainsWritten = 0;
  for (const { before, after } of changes) {
    for (const [name, timeout] of after.sets) if (!before.sets.has(name)) addSets.push(`add set ${t} ${name} ${setDef(timeout)}`);
    for (const [name, elems] of after.maps) {
      const old = before.maps.get(name);
      if (sameRules(old, elems)) continue;
      if (old === undefined) addSets.push(`add map ${t} ${name} ${pickDef}`);
      else mapWrites.push(`flush map ${t} ${name}`);
      mapWrites.push(`add element ${t} ${name} { ${elems.join(', ')} }`);
    }
    for (const name of before.maps.keys()) if (!after.maps.has(name)) delSets.push(`delete map ${t} ${name}`);
    for (const [name, body] of after.chains) {
      const old = before.chains.get(name);
      if (sameRules(old, body)) continue;
      chainsWritten++;
      if (old === undefined) addChains.push(`add chain ${t} ${name}`);
      fillChain(fills, t, name, body, old !== undefined);
    }
    for (const [k, e] of before.elements) {
      const cur = after.elements.get(k);
      if (cur?.verdict !== e.verdict) delElements.push(`delete element ${t} ${e.map} { ${e.key} }`);
    }
    for (const [k, e] of after.elements) if (before.elements.get(k)?.verdict !== e.verdict) addElements.push(addElement(t, e));
    for (const name of before.chains.keys()) {
      if (after.chains.has(name)) continue;
      flushOld.push(`flush chain ${t} ${name}`);
      delChains.push(`delete chain ${t} ${name}`);
    }
    for (const name of before.sets.keys()) if (!after.sets.has(name)) delSets.push(`delete set ${t} ${name}`);
  }
  // A map element may name a new chain, and a rewritten chain may read a new map: both exist first.
  const lines = [...addSets, ...addChains, ...mapWrites, ...fills, ...delElements, ...addElements, ...flushOld, ...delChains, ...delSets];
  return {
    script: lines.length === 0 ? '' : `${lines.join('\n')}\n`,
    chainsWritten, chainsDeleted: delChains.length, elementsChanged: delElements.length + addElements.length,
  };
}

/** Chain and set names in `nft -t list table` output. */
export function listedNames(listing: string): { chains: string[]; sets: string[]; maps: string[] } {
  const chains: string[] = [];
  const sets: string[] = [];
  const maps: string[] = [];
  for (const line of listing.split('\n')) {
    const m = /^\s*(chain|set|map)\s+(\S+)\s*\{/.exec(line);
    if (m?.[1] === 'chain') chains.push(m[2]!);
    else if (m?.[1] === 'set') sets.push(m[2]!);
    else if (m?.[1] === 'map') maps.push(m[2]!);
  }
  return { chains, sets, maps };
}
