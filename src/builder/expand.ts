/**
 * Docker's word processing for Dockerfile arguments: quotes, backslash escapes and `$VAR`,
 * `${VAR}`, `${VAR:-default}`, `${VAR:+alt}` (also without the colon) expansion. Pure.
 */

/** Looks a variable up; undefined when it is not set. */
export type Lookup = (name: string) => string | undefined;

/** A lookup over a KEY=VALUE list (later entries win). */
export function envLookup(...lists: Array<readonly string[]>): Lookup {
  const m = new Map<string, string>();
  for (const list of lists) {
    for (const kv of list) {
      const i = kv.indexOf('=');
      if (i > 0) m.set(kv.slice(0, i), kv.slice(i + 1));
    }
  }
  return (name) => m.get(name);
}

/** Thrown for a malformed `${...}`. */
export class ExpandError extends Error {}

interface Lexer { s: string; i: number }

/** Splits text into words on unquoted whitespace, removing quotes and expanding variables in each. */
export function processWords(text: string, lookup: Lookup): string[] {
  const lx: Lexer = { s: text, i: 0 };
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  while (lx.i < lx.s.length) {
    const c = lx.s[lx.i] as string;
    if (/\s/.test(c)) {
      if (inWord) { words.push(cur); cur = ''; inWord = false; }
      lx.i++;
      continue;
    }
    inWord = true;
    cur += readPiece(lx, lookup);
  }
  if (inWord) words.push(cur);
  return words;
}

/** Processes the whole text as one word (quotes removed, variables expanded, spaces kept). */
export function processWord(text: string, lookup: Lookup): string {
  const lx: Lexer = { s: text, i: 0 };
  let out = '';
  while (lx.i < lx.s.length) {
    const c = lx.s[lx.i] as string;
    if (/\s/.test(c)) { out += c; lx.i++; continue; }
    out += readPiece(lx, lookup);
  }
  return out;
}

/** Reads one quoted section, escape, variable or plain character. */
function readPiece(lx: Lexer, lookup: Lookup): string {
  const c = lx.s[lx.i] as string;
  if (c === "'") {
    const end = lx.s.indexOf("'", lx.i + 1);
    if (end < 0) throw new ExpandError(`unexpected end of statement while looking for matching single-quote`);
    const v = lx.s.slice(lx.i + 1, end);
    lx.i = end + 1;
    return v;
  }
  if (c === '"') {
    lx.i++;
    let v = '';
    while (lx.i < lx.s.length && lx.s[lx.i] !== '"') {
      const d = lx.s[lx.i] as string;
      if (d === '\\' && lx.i + 1 < lx.s.length && '"$\\'.includes(lx.s[lx.i + 1] as string)) { v += lx.s[lx.i + 1]; lx.i += 2; continue; }
      if (d === '$') { v += readVar(lx, lookup); continue; }
      v += d;
      lx.i++;
    }
    if (lx.i >= lx.s.length) throw new ExpandError(`unexpected end of statement while looking for matching double-quote`);
    lx.i++;
    return v;
  }
  if (c === '\\') {
    lx.i++;
    if (lx.i >= lx.s.length) return '';
    return lx.s[lx.i++] as string;
  }
  if (c === '$') return readVar(lx, lookup);
  lx.i++;
  return c;
}

/** At a `$`: expands `$NAME` or `${...}`; a lone `$` stays. */
function readVar(lx: Lexer, lookup: Lookup): string {
  lx.i++; // the $
  const next = lx.s[lx.i];
  if (next === '{') {
    lx.i++;
    const nameMatch = /^[A-Za-z_][A-Za-z0-9_]*/.exec(lx.s.slice(lx.i));
    if (!nameMatch) throw new ExpandError(`bad substitution: \${${lx.s.slice(lx.i)}`);
    const name = nameMatch[0];
    lx.i += name.length;
    if (lx.s[lx.i] === '}') { lx.i++; return lookup(name) ?? ''; }
    if (lx.i >= lx.s.length) throw new ExpandError(`missing '}' in substitution \${${name}`);
    const op = /^(:?[-+?])/.exec(lx.s.slice(lx.i));
    if (!op) throw new ExpandError(`unsupported modifier (${lx.s[lx.i] ?? 'end'}) in substitution \${${name}...}`);
    lx.i += (op[1] as string).length;
    // The word after the modifier is itself processed, up to the matching brace.
    let word = '';
    while (lx.i < lx.s.length && lx.s[lx.i] !== '}') word += readPiece(lx, lookup);
    if (lx.s[lx.i] !== '}') throw new ExpandError(`missing '}' in substitution \${${name}`);
    lx.i++;
    const value = lookup(name);
    const colon = (op[1] as string).startsWith(':');
    const set = colon ? value !== undefined && value !== '' : value !== undefined;
    const kind = (op[1] as string).slice(-1);
    if (kind === '-') return set ? (value as string) : word;
    if (kind === '+') return set ? word : '';
    if (!set) throw new ExpandError(`${name}: ${word || 'is not allowed to be unset'}`);
    return value as string;
  }
  const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(lx.s.slice(lx.i));
  if (!m) return '$';
  lx.i += m[0].length;
  return lookup(m[0]) ?? '';
}
