import { readFile } from 'node:fs/promises';

/** Undoes mountinfo's octal escapes ("\040" for a space). */
function unescape(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8)));
}

/** The text of /proc/self/mountinfo ('' where it cannot be read). */
export function readMountinfo(): Promise<string> {
  return readFile('/proc/self/mountinfo', 'utf8').catch(() => '');
}

/** The mount-point paths in mountinfo text, in mount order. */
export function parseMountPoints(mountinfo: string): string[] {
  return mountinfo.split('\n').map((l) => l.split(' ')[4]).filter((p): p is string => !!p).map(unescape);
}

/** The mount points this process can see, in mount order. */
export async function mountPoints(): Promise<string[]> {
  return parseMountPoints(await readMountinfo());
}

/**
 * Lower dirs in mountinfo text, from the super options of overlay mounts. A long lowerdir list is
 * mounted with relative paths ("<hex>/fs"), which are kept as written.
 */
export function parseLowerDirs(mountinfo: string): Set<string> {
  const out = new Set<string>();
  for (const line of mountinfo.split('\n')) {
    const [, after] = line.split(' - ');
    if (!after?.startsWith('overlay ')) continue;
    const opts = after.split(' ')[2] ?? '';
    const lower = opts.split(',').find((o) => o.startsWith('lowerdir='));
    if (!lower) continue;
    for (const dir of lower.slice('lowerdir='.length).split(':')) out.add(unescape(dir));
  }
  return out;
}

/** Lower dirs of the overlay mounts this process can see. */
export async function mountedLowerDirs(): Promise<Set<string>> {
  return parseLowerDirs(await readMountinfo());
}
