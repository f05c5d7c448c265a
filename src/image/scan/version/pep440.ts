/** PEP 440 version order (PyPI): [N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local], with its normalisations. */

const RE = /^v?(?:(\d+)!)?(\d+(?:\.\d+)*)(?:[-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?(\d*))?(?:(?:-(\d+))|(?:[-_.]?(post|rev|r)[-_.]?(\d*)))?(?:[-_.]?(dev)[-_.]?(\d*))?(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?$/i;

/** A version as a comparable key; Infinity/-Infinity stand for PEP 440's "absent" orderings. */
interface Key { epoch: number; release: number[]; pre: [number, number]; post: number; dev: number; local: Array<number | string> }

const PRE_RANK: Record<string, number> = { a: 0, alpha: 0, b: 1, beta: 1, c: 2, rc: 2, pre: 2, preview: 2 };

function key(v: string): Key | undefined {
  const m = RE.exec(v.trim().toLowerCase());
  if (!m) return undefined;
  const release = m[2]!.split('.').map(Number);
  while (release.length > 1 && release[release.length - 1] === 0) release.pop();
  const hasPre = m[3] !== undefined;
  const hasPost = m[5] !== undefined || m[6] !== undefined;
  const hasDev = m[8] !== undefined;
  // 1.0.dev1 sorts before 1.0a1: a dev release with no pre or post part goes below every pre-release.
  const pre: [number, number] = hasPre ? [PRE_RANK[m[3]!]!, Number(m[4] || 0)] : !hasPost && hasDev ? [-Infinity, 0] : [Infinity, 0];
  const post = hasPost ? Number(m[5] ?? (m[7] || 0)) : -Infinity;
  const dev = hasDev ? Number(m[9] || 0) : Infinity;
  const local = m[10] ? m[10].split(/[-_.]/).map((s) => (/^\d+$/.test(s) ? Number(s) : s)) : [];
  return { epoch: Number(m[1] ?? 0), release, pre, post, dev, local };
}

function cmpNum(a: number, b: number): number {
  return a === b ? 0 : a < b ? -1 : 1;
}

function cmpLocal(a: Array<number | string>, b: Array<number | string>): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const p = a[i];
    const q = b[i];
    if (p === undefined) return -1;
    if (q === undefined) return 1;
    if (typeof p === 'number' && typeof q === 'number') { if (p !== q) return cmpNum(p, q); }
    else if (typeof p !== typeof q) return typeof p === 'number' ? 1 : -1; // numeric segments sort above strings
    else if (p !== q) return String(p) < String(q) ? -1 : 1;
  }
  return 0;
}

/** Whether a string is a valid PEP 440 version. */
export function isPep440(v: string): boolean {
  return key(v) !== undefined;
}

/** Compares two PEP 440 versions: negative, 0 or positive; an invalid one sorts by plain text. */
export function comparePep440(a: string, b: string): number {
  const x = key(a);
  const y = key(b);
  if (!x || !y) return a === b ? 0 : a < b ? -1 : 1;
  if (x.epoch !== y.epoch) return cmpNum(x.epoch, y.epoch);
  for (let i = 0; i < Math.max(x.release.length, y.release.length); i++) {
    const d = cmpNum(x.release[i] ?? 0, y.release[i] ?? 0);
    if (d) return d;
  }
  return cmpNum(x.pre[0], y.pre[0]) || cmpNum(x.pre[1], y.pre[1]) || cmpNum(x.post, y.post) || cmpNum(x.dev, y.dev) || cmpLocal(x.local, y.local);
}
