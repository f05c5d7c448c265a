/** The change from the programmed entries to the wanted ones (pure). */
import { noEntries, type RouteEntries } from './plan.js';

/** What to add (or replace) and what to delete. */
export interface EntryDiff { add: RouteEntries; remove: RouteEntries }

const routeKey = (r: { dst: string }): string => r.dst;
const neighKey = (n: { ip: string; dev: string }): string => `${n.dev} ${n.ip}`;
const fdbKey = (f: { mac: string; dev: string }): string => `${f.dev} ${f.mac}`;
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

function part<T extends object>(now: readonly T[], want: readonly T[], key: (t: T) => string, add: T[], remove: T[], norm: (t: T) => T = (t) => t): void {
  const have = new Map(now.map((t) => [key(t), t]));
  const wanted = new Set<string>();
  for (const w of want) {
    wanted.add(key(w));
    const h = have.get(key(w));
    if (!h || !same(norm(h), norm(w))) add.push(w); // "replace" changes it in place
  }
  for (const h of now) if (!wanted.has(key(h))) remove.push(h);
}

/**
 * Entries in `wanted` that are missing or differ go to add; entries in `current` whose key is no
 * longer wanted go to remove. A changed fdb entry (same MAC, other node) is a replace, not a removal.
 */
export function diffEntries(current: RouteEntries, wanted: RouteEntries): EntryDiff {
  const d: EntryDiff = { add: noEntries(), remove: noEntries() };
  part(current.routes, wanted.routes, routeKey, d.add.routes, d.remove.routes,
    (r) => ({ dst: r.dst, via: r.via, dev: r.dev ?? '', onlink: r.onlink ?? false }));
  part(current.neighs, wanted.neighs, neighKey, d.add.neighs, d.remove.neighs);
  part(current.fdbs, wanted.fdbs, fdbKey, d.add.fdbs, d.remove.fdbs);
  return d;
}

/** True when the diff changes nothing. */
export const emptyDiff = (d: EntryDiff): boolean =>
  [d.add, d.remove].every((e) => e.routes.length === 0 && e.neighs.length === 0 && e.fdbs.length === 0);
