import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { detectCompression, tarFlags } from './compression.js';
import { run } from './exec.js';
import type { LayerBlob } from './formats.js';
import type { StoreLayout } from './layout.js';
import { convertWhiteouts } from './whiteouts.js';

/** GNU tar as root: keep numeric owners, modes and xattrs, but never let a layer set overlay's own xattrs. */
const TAR_EXTRACT = ['-x', '--numeric-owner', '--xattrs', "--xattrs-include=*", '--xattrs-exclude=trusted.overlay.*', '-p', '--same-owner'];

/**
 * Unpacks a layer into snapshots/<diffID>/fs unless it is already there. Extraction happens in a
 * temporary directory that is renamed into place only when complete, so a crash never leaves a half
 * snapshot. Returns true when it unpacked, false when the snapshot existed.
 */
export async function ensureSnapshot(layout: StoreLayout, layer: LayerBlob): Promise<boolean> {
  const final = layout.snapshot(layer.diffId);
  if (await exists(join(final, 'fs'))) return false;
  const tmp = join(layout.snapshotsDir, `.tmp-${randomBytes(8).toString('hex')}`);
  const fs = join(tmp, 'fs');
  try {
    await mkdir(fs, { recursive: true, mode: 0o755 });
    const blob = layout.blob(layer.digest);
    const compression = await detectCompression(blob);
    await run('tar', [...TAR_EXTRACT, ...tarFlags(compression), '-f', blob, '-C', fs]);
    await convertWhiteouts(fs);
    // Flush the unpacked files before the rename makes the snapshot look complete.
    await run('sync', ['-f', fs]);
    try {
      await rename(tmp, final);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOTEMPTY' || code === 'EEXIST') return false; // another import finished it first
      throw e;
    }
    return true;
  } catch (e) {
    throw new Error(`unpacking layer ${layer.diffId} (blob ${layer.digest}) failed: ${(e as Error).message}`);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}
