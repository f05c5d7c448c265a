import { lchown, readdir, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from './exec.js';

const PREFIX = '.wh.';
const OPAQUE = '.wh..wh..opq';

/**
 * Rewrites OCI/AUFS whiteouts into the form overlayfs understands:
 * ".wh.NAME" -> character device 0/0 named NAME; ".wh..wh..opq" -> xattr trusted.overlay.opaque=y on its directory.
 * Returns how many whiteouts were converted.
 */
export async function convertWhiteouts(root: string): Promise<number> {
  let count = 0;
  const dirs = [root];
  for (let dir = dirs.pop(); dir !== undefined; dir = dirs.pop()) {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const e of entries) {
      const path = join(dir, e.name);
      if (e.isDirectory()) {
        dirs.push(path);
        continue;
      }
      if (!e.name.startsWith(PREFIX)) continue;
      if (e.name === OPAQUE) {
        await run('setfattr', ['-n', 'trusted.overlay.opaque', '-v', 'y', '--', dir]);
      } else if (e.name.startsWith(`${PREFIX}${PREFIX}`)) {
        // Other ".wh..wh." names are AUFS bookkeeping (.wh..wh.plnk, .wh..wh.aufs): meaningless to overlay.
      } else {
        const target = join(dir, e.name.slice(PREFIX.length));
        await rm(target, { recursive: true, force: true });
        await run('mknod', ['-m', '0000', '--', target, 'c', '0', '0']);
        await lchown(target, 0, 0);
      }
      await unlink(path);
      count++;
    }
  }
  return count;
}
