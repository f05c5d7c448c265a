/** Alpine apk version order: digits(.digits)*[letter](_suffix[N])*[-rN]. */

const PRE = ['alpha', 'beta', 'pre', 'rc'];
const POST = ['cvs', 'svn', 'git', 'hg', 'p'];

/** A parsed apk version: every part comparable in order. */
interface ApkVersion { nums: string[]; letter: string; suffixes: Array<[number, number]>; rev: number }

// A suffix weighs its rank: pre-releases below "no suffix" (0), post-releases above.
function suffixRank(name: string): number {
  const pre = PRE.indexOf(name);
  if (pre >= 0) return pre - PRE.length;
  const post = POST.indexOf(name);
  return post >= 0 ? post + 1 : 0;
}

function parse(v: string): ApkVersion {
  const m = /^([0-9]+(?:\.[0-9]+)*)([a-z]?)((?:_[a-z]+[0-9]*)*)(?:-r([0-9]+))?/.exec(v.trim());
  if (!m) return { nums: [v], letter: '', suffixes: [], rev: 0 };
  const suffixes = (m[3] ?? '').split('_').filter(Boolean).map((s): [number, number] => {
    const sm = /^([a-z]+)([0-9]*)$/.exec(s);
    return [suffixRank(sm?.[1] ?? ''), Number(sm?.[2] || 0)];
  });
  return { nums: m[1]!.split('.'), letter: m[2] ?? '', suffixes, rev: Number(m[4] ?? 0) };
}

// apk compares the first number as an integer, later ones as fractions when they start with 0 (1.01 < 1.1).
function compareNum(a: string, b: string, first: boolean): number {
  if (!first && (a.startsWith('0') || b.startsWith('0'))) {
    const n = Math.max(a.length, b.length);
    const x = a.padEnd(n, '0');
    const y = b.padEnd(n, '0');
    return x === y ? 0 : x < y ? -1 : 1;
  }
  const d = BigInt(a) - BigInt(b);
  return d === 0n ? 0 : d < 0n ? -1 : 1;
}

/** Compares two Alpine package versions: negative, 0 or positive, as `apk version -t`. */
export function compareApk(a: string, b: string): number {
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < Math.max(x.nums.length, y.nums.length); i++) {
    const p = x.nums[i];
    const q = y.nums[i];
    if (p === undefined) return -1;
    if (q === undefined) return 1;
    const c = /^[0-9]+$/.test(p) && /^[0-9]+$/.test(q) ? compareNum(p, q, i === 0) : p.localeCompare(q);
    if (c !== 0) return c;
  }
  if (x.letter !== y.letter) return x.letter < y.letter ? -1 : 1;
  for (let i = 0; i < Math.max(x.suffixes.length, y.suffixes.length); i++) {
    const [rp, np] = x.suffixes[i] ?? [0, 0];
    const [rq, nq] = y.suffixes[i] ?? [0, 0];
    if (rp !== rq) return rp - rq;
    if (np !== nq) return np - nq;
  }
  return x.rev - y.rev;
}
