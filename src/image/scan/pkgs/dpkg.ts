/** dpkg's status database (var/lib/dpkg/status, distroless status.d/*): installed binary packages with their source. */
import type { Package } from '../types.js';

/** The stanzas of a Debian control file, fields by name (continuation lines folded). */
export function parseControl(text: string): Array<Record<string, string>> {
  const out: Array<Record<string, string>> = [];
  let cur: Record<string, string> = {};
  let last = '';
  for (const line of text.split('\n')) {
    if (line.trim() === '') { if (Object.keys(cur).length) out.push(cur); cur = {}; last = ''; continue; }
    if ((line.startsWith(' ') || line.startsWith('\t')) && last) { cur[last] += `\n${line.trim()}`; continue; }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    last = line.slice(0, colon);
    cur[last] = line.slice(colon + 1).trim();
  }
  if (Object.keys(cur).length) out.push(cur);
  return out;
}

/** Installed packages (Status "... installed") of one status file; ecosystem as given ("Debian:12"). */
export function dpkgPackages(text: string, file: string, ecosystem: string): Package[] {
  const out: Package[] = [];
  for (const s of parseControl(text)) {
    if (!s.Package || !s.Version) continue;
    if (s.Status && !/\binstalled$/.test(s.Status)) continue; // removed, config-files, half-installed
    const src = /^(\S+)(?:\s+\((\S+)\))?/.exec(s.Source ?? '');
    out.push({
      name: s.Package, version: s.Version, ecosystem, file,
      srcName: src?.[1] ?? s.Package, srcVersion: src?.[2] ?? s.Version,
      ...(s.Architecture ? { arch: s.Architecture } : {}),
    });
  }
  return out;
}
