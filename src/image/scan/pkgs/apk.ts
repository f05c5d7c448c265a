/** apk's installed database (lib/apk/db/installed): P: name, V: version, o: origin (the source package advisories name). */
import type { Package } from '../types.js';

/** Packages of an installed database; ecosystem as given ("Alpine:v3.18"). */
export function apkPackages(text: string, file: string, ecosystem: string): Package[] {
  const out: Package[] = [];
  for (const block of text.split(/\n\s*\n/)) {
    const f: Record<string, string> = {};
    for (const line of block.split('\n')) if (line[1] === ':' && !(line[0]! in f)) f[line[0]!] = line.slice(2).trim();
    if (!f.P || !f.V) continue;
    out.push({ name: f.P, version: f.V, ecosystem, file, srcName: f.o ?? f.P, srcVersion: f.V, ...(f.A ? { arch: f.A } : {}) });
  }
  return out;
}
