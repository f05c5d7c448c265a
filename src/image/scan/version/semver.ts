/** Semantic Versioning 2.0 order (npm, crates.io, Go with its `v` prefix); missing minor/patch read as 0. */

interface SemVer { core: bigint[]; pre: string[] }

function parse(v: string): SemVer {
  const s = v.trim().replace(/^[v=]/, '').split('+')[0]!;
  const dash = s.indexOf('-');
  const core = (dash >= 0 ? s.slice(0, dash) : s).split('.').map((n) => (/^[0-9]+$/.test(n) ? BigInt(n) : 0n));
  while (core.length < 3) core.push(0n);
  return { core, pre: dash >= 0 ? s.slice(dash + 1).split('.') : [] };
}

function comparePre(a: string[], b: string[]): number {
  if (a.length === 0 || b.length === 0) return b.length - a.length; // a release is above its pre-releases
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const p = a[i];
    const q = b[i];
    if (p === undefined) return -1;
    if (q === undefined) return 1;
    const pn = /^[0-9]+$/.test(p);
    const qn = /^[0-9]+$/.test(q);
    if (pn && qn) {
      const d = BigInt(p) - BigInt(q);
      if (d !== 0n) return d < 0n ? -1 : 1;
    } else if (pn !== qn) return pn ? -1 : 1;
    else if (p !== q) return p < q ? -1 : 1;
  }
  return 0;
}

/** Compares two semantic versions: negative, 0 or positive. */
export function compareSemver(a: string, b: string): number {
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < Math.max(x.core.length, y.core.length); i++) {
    const d = (x.core[i] ?? 0n) - (y.core[i] ?? 0n);
    if (d !== 0n) return d < 0n ? -1 : 1;
  }
  return comparePre(x.pre, y.pre);
}
