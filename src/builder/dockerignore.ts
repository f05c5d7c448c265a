/**
 * .dockerignore matching as Docker does it: one pattern a line, `#` comments, `!` exceptions (the
 * last matching line wins), `*`, `?`, `[...]` and `**`; a pattern matching a directory excludes
 * everything below it. Pure.
 */

interface Rule { re: RegExp; prefixRe: RegExp; negate: boolean }

/** A compiled .dockerignore. */
export class DockerIgnore {
  private readonly rules: Rule[];

  constructor(patterns: readonly string[]) {
    this.rules = patterns.map((p) => compile(p)).filter((r): r is Rule => r !== undefined);
  }

  /** Parses the file's text. */
  static parse(text: string): DockerIgnore {
    return new DockerIgnore(text.split(/\r?\n/));
  }

  /** True when the context path (relative, '/'-separated) is excluded. */
  excludes(relPath: string): boolean {
    const path = clean(relPath);
    let excluded = false;
    for (const r of this.rules) {
      // A pattern also matches everything under a directory it matches.
      if (r.re.test(path) || r.prefixRe.test(path)) excluded = !r.negate;
    }
    return excluded;
  }

  /**
   * True when a directory may hold a file an exception (`!`) re-includes, so a walker must still
   * descend into an excluded directory.
   */
  mayReinclude(): boolean {
    return this.rules.some((r) => r.negate);
  }
}

function clean(p: string): string {
  const parts: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return parts.join('/');
}

function compile(line: string): Rule | undefined {
  let p = line.trim();
  if (p === '' || p.startsWith('#')) return undefined;
  let negate = false;
  if (p.startsWith('!')) { negate = true; p = p.slice(1).trim(); }
  p = clean(p);
  if (p === '') return undefined;
  const body = globToRegex(p);
  return { re: new RegExp(`^${body}$`), prefixRe: new RegExp(`^${body}/`), negate };
}

/** Go's filepath.Match syntax plus `**` (any number of directories), as a regex body. */
export function globToRegex(glob: string): string {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        i++;
        if (glob[i + 1] === '/') { i++; re += '(?:.*/)?'; } else re += '.*';
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) { re += '\\['; continue; }
      let cls = glob.slice(i + 1, end);
      if (cls.startsWith('^') || cls.startsWith('!')) cls = `^${cls.slice(1)}`;
      re += `[${cls.replace(/\\/g, '\\\\')}]`;
      i = end;
    } else if (c === '\\' && i + 1 < glob.length) {
      re += escapeRe(glob[++i] as string);
    } else re += escapeRe(c);
  }
  return re;
}

function escapeRe(c: string): string {
  return /[.+^${}()|[\]\\/]/.test(c) ? `\\${c}` : c;
}
