/** Matches packages against advisories, per OSV's range semantics and each ecosystem's version order. */
import { comparatorFor, type Compare } from './version/compare.js';
import { pypiName } from './pkgs/lang.js';
import { SEVERITIES, type Advisory, type Affected, type Finding, type Package, type RangeEvent } from './types.js';

const baseOf = (eco: string): string => eco.split(':')[0]!;
const keyOf = (eco: string, name: string): string => `${baseOf(eco)}\0${baseOf(eco) === 'PyPI' ? pypiName(name) : name}`;

/** Advisories indexed by ecosystem and package name, for many lookups. */
export class AdvisoryIndex {
  private readonly byKey = new Map<string, Array<{ advisory: Advisory; affected: Affected }>>();

  constructor(advisories: Advisory[]) {
    for (const advisory of advisories) {
      for (const affected of advisory.affected) {
        const k = keyOf(affected.ecosystem, affected.name);
        const list = this.byKey.get(k);
        if (list) list.push({ advisory, affected }); else this.byKey.set(k, [{ advisory, affected }]);
      }
    }
  }

  /** The affected entries naming a package in an ecosystem. */
  lookup(ecosystem: string, name: string): Array<{ advisory: Advisory; affected: Affected }> {
    return this.byKey.get(keyOf(ecosystem, name)) ?? [];
  }
}

// "Debian:12" matches the package's "Debian:12"; an advisory or package with no release matches any.
function releaseMatches(advisoryEco: string, pkgEco: string): boolean {
  const a = advisoryEco.split(':').slice(1).join(':');
  const p = pkgEco.split(':').slice(1).join(':');
  return !a || !p || a === p || a.startsWith(`${p}:`);
}

const eventVersion = (e: RangeEvent): string => e.introduced ?? e.fixed ?? e.last_affected ?? e.limit ?? '';

/** Whether `v` lies in one ECOSYSTEM/SEMVER range, and the fix that ends the range containing it. */
function inRange(v: string, events: RangeEvent[], cmp: Compare): { hit: boolean; fixed?: string } {
  const c = (a: string, b: string): number => (a === '0' ? (b === '0' ? 0 : -1) : b === '0' ? 1 : cmp(a, b));
  const sorted = [...events].sort((x, y) => c(eventVersion(x), eventVersion(y)));
  let hit = false;
  for (const e of sorted) {
    if (e.introduced !== undefined && c(v, e.introduced) >= 0) hit = true;
    else if (e.fixed !== undefined && c(v, e.fixed) >= 0) hit = false;
    else if (e.last_affected !== undefined && c(v, e.last_affected) > 0) hit = false;
  }
  if (!hit) return { hit };
  const fixed = sorted.find((e) => e.fixed !== undefined && c(e.fixed, v) > 0)?.fixed;
  return { hit, ...(fixed ? { fixed } : {}) };
}

/** Whether a version is affected by one entry, and its fixed versions (empty when no fix exists). */
export function affects(v: string, affected: Affected): { hit: boolean; fixed: string[] } {
  const cmp = comparatorFor(affected.ecosystem);
  if (!cmp) return { hit: false, fixed: [] };
  let hit = affected.versions.some((x) => x === v || cmp(x, v) === 0);
  const fixed: string[] = [];
  for (const r of affected.ranges) {
    if (r.type === 'GIT') continue; // commit ranges need the source tree; the versions list covers them
    const res = inRange(v, r.events, cmp);
    if (res.hit) { hit = true; if (res.fixed) fixed.push(res.fixed); }
  }
  return { hit, fixed: [...new Set(fixed)] };
}

/** Trivy's VulnerabilityID: the CVE when the advisory is one or aliases one, else its own ID. */
export function vulnerabilityId(a: Advisory): string {
  if (a.id.startsWith('CVE-')) return a.id;
  return a.aliases.find((x) => x.startsWith('CVE-')) ?? a.id;
}

/** Every finding for the packages, one per package and vulnerability ID (the most severe record wins). */
export function matchPackages(pkgs: Package[], index: AdvisoryIndex): Finding[] {
  const out = new Map<string, Finding>();
  for (const pkg of pkgs) {
    const name = pkg.srcName ?? pkg.name;
    const version = pkg.srcVersion ?? pkg.version;
    // OS advisories name the source package and its version; a record naming the binary gets the binary's.
    const candidates = [...index.lookup(pkg.ecosystem, name).map((c) => ({ ...c, v: version })),
      ...(name !== pkg.name ? index.lookup(pkg.ecosystem, pkg.name).map((c) => ({ ...c, v: pkg.version })) : [])];
    for (const { advisory, affected, v } of candidates) {
      if (!releaseMatches(affected.ecosystem, pkg.ecosystem)) continue;
      const res = affects(v, affected);
      if (!res.hit) continue;
      const id = vulnerabilityId(advisory);
      const severity = affected.severity ?? advisory.severity;
      const key = `${pkg.file}\0${pkg.name}\0${pkg.version}\0${id}`;
      const prev = out.get(key);
      if (prev && SEVERITIES.indexOf(prev.severity) >= SEVERITIES.indexOf(severity)) continue;
      out.set(key, { id, advisory, pkg, severity, fixedVersion: res.fixed.join(', ') });
    }
  }
  return [...out.values()].sort((a, b) => a.pkg.name.localeCompare(b.pkg.name) || a.id.localeCompare(b.id));
}
