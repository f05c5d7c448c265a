/** Mount-table helpers of the CSI mounter: is a path a mount point, and undo it locally as a last resort. */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** /proc/self/mountinfo's octal escapes (\040 for a space) decoded. */
function unescape(s: string): string { return s.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8))); }

/** The mount points at or below dir. */
export async function mountsUnder(dir: string): Promise<string[]> {
  const text = await readFile('/proc/self/mountinfo', 'utf8');
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const mp = line.split(' ')[4];
    if (mp === undefined) continue;
    const p = unescape(mp);
    if (p === dir || p.startsWith(`${dir}/`)) out.push(p);
  }
  return out;
}

/** True when something is mounted exactly at dir. */
export async function isMountPoint(dir: string): Promise<boolean> {
  return (await mountsUnder(dir)).includes(dir);
}

/** Unmounts everything stacked at dir (a driver that is gone cannot do it; its data stays). */
export async function forceUnmount(dir: string): Promise<void> {
  for (let i = 0; i < 16 && (await isMountPoint(dir)); i++) {
    await run('umount', [dir]).catch(() => run('umount', ['-l', dir]));
  }
}
