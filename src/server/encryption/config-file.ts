import { createHash } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/** The file's text, or undefined when there is none. */
export async function readConfigText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** sha256 of a config's text, to tell whether the file still holds what the server uses. */
export const hashOf = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * Write the keys file whole or not at all: a 0600 temp file in a 0700 directory, fsynced, renamed over
 * the old one. A failed write (disk full) removes its temp file and leaves the old file as it was.
 */
export async function writeConfigText(file: string, text: string): Promise<void> {
  const dir = path.dirname(file);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    const fh = await open(tmp, 'w', 0o600);
    try {
      await fh.chmod(0o600); // whatever the umask
      await fh.writeFile(text);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, file);
    // Secrets written with a new key are lost if the key is not: make the rename durable too.
    const d = await open(dir, 'r');
    try { await d.sync(); } finally { await d.close(); }
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}
