import { open, rename, rm } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import path from 'node:path';

/** fsync a directory so a rename or create inside it survives a power loss. */
export async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try { await fh.sync(); } finally { await fh.close(); }
}

/**
 * Write `data` to `file` through a temp file in `tmpDir` (same filesystem): write, fsync, rename,
 * fsync the directory. A crash leaves the old file or the new one, never half of it.
 */
export async function writeFileAtomic(tmpDir: string, file: string, data: string | Uint8Array): Promise<void> {
  const tmp = path.join(tmpDir, `w-${randomUUID()}`);
  const fh = await open(tmp, 'w', 0o644);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally { await fh.close(); }
  try {
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  await fsyncDir(path.dirname(file));
}
