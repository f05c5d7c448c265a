/** Which OS an image holds, from its release files, and the OSV ecosystem release its advisories use. */
import type { OsInfo } from '../types.js';

function osRelease(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m) out[m[1]!] = m[2]!.replace(/^["']|["']$/g, '');
  }
  return out;
}

/** The OS of the merged files, or undefined (a distroless image with no release file). */
export function detectOs(files: Map<string, Buffer>): OsInfo | undefined {
  const alpine = files.get('etc/alpine-release')?.toString('utf8').trim();
  if (alpine) return { family: 'alpine', name: alpine };
  const rel = files.get('etc/os-release') ?? files.get('usr/lib/os-release');
  const fields = rel ? osRelease(rel.toString('utf8')) : {};
  const debian = files.get('etc/debian_version')?.toString('utf8').trim();
  if (fields.ID === 'debian' || (!fields.ID && debian)) return { family: 'debian', name: debian && /^\d/.test(debian) ? debian : fields.VERSION_ID ?? 'unknown' };
  if (fields.ID) return { family: fields.ID, name: fields.VERSION_ID ?? 'unknown' };
  return undefined;
}

/** The OSV ecosystem of the OS's packages, with its release: Debian:12, Alpine:v3.18, Ubuntu:22.04. */
export function osEcosystem(os: OsInfo | undefined, fallback: string): string {
  if (!os) return fallback;
  const [major, minor] = os.name.split('.');
  if (os.family === 'debian' && major && /^\d+$/.test(major)) return `Debian:${major}`;
  if (os.family === 'alpine' && major && minor) return `Alpine:v${major}.${minor}`;
  if (os.family === 'ubuntu') return `Ubuntu:${os.name}`;
  return fallback;
}
