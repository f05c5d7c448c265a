/** Debian version order (dpkg's verrevcmp): [epoch:]upstream[-revision], `~` before everything, even the end. */

/** A parsed Debian version. */
interface DebVersion { epoch: number; upstream: string; revision: string }

function parse(v: string): DebVersion {
  const s = v.trim();
  const colon = s.indexOf(':');
  const epoch = colon > 0 ? Number(s.slice(0, colon)) : 0;
  const rest = colon > 0 ? s.slice(colon + 1) : s;
  const dash = rest.lastIndexOf('-');
  return { epoch: Number.isFinite(epoch) ? epoch : 0, upstream: dash >= 0 ? rest.slice(0, dash) : rest, revision: dash >= 0 ? rest.slice(dash + 1) : '' };
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

// dpkg's order(): digits and the end weigh 0, letters their code, `~` below all, other symbols after letters.
function order(c: string | undefined): number {
  if (c === undefined || isDigit(c)) return 0;
  if (c === '~') return -1;
  if (/[A-Za-z]/.test(c)) return c.charCodeAt(0);
  return c.charCodeAt(0) + 256;
}

function verrevcmp(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    let firstDiff = 0;
    while ((i < a.length && !isDigit(a[i])) || (j < b.length && !isDigit(b[j]))) {
      const ac = order(a[i]);
      const bc = order(b[j]);
      if (ac !== bc) return ac - bc;
      i++;
      j++;
    }
    while (a[i] === '0') i++;
    while (b[j] === '0') j++;
    while (isDigit(a[i]) && isDigit(b[j])) {
      if (!firstDiff) firstDiff = a.charCodeAt(i) - b.charCodeAt(j);
      i++;
      j++;
    }
    if (isDigit(a[i])) return 1;
    if (isDigit(b[j])) return -1;
    if (firstDiff) return firstDiff;
  }
  return 0;
}

/** Compares two Debian versions: negative, 0 or positive, as `dpkg --compare-versions`. */
export function compareDebian(a: string, b: string): number {
  const x = parse(a);
  const y = parse(b);
  if (x.epoch !== y.epoch) return x.epoch - y.epoch;
  const u = verrevcmp(x.upstream, y.upstream);
  if (u !== 0) return u;
  return verrevcmp(x.revision, y.revision);
}
