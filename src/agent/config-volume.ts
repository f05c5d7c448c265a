/** Write a configMap/secret volume's files into its per-pod directory on the node. */
import { chmod, mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Make dir hold exactly files (relative path -> bytes and mode). Each file is written to a temporary
 * name and renamed, so a running container that has the directory bind-mounted never reads half a
 * file; the directory itself is kept (replacing it would detach existing bind mounts).
 */
export async function writeConfigVolume(dir: string, files: Map<string, { data: Buffer; mode: number }>, secret: boolean): Promise<void> {
  await mkdir(dir, { recursive: true });
  // World-traversable so a non-root container user can reach the files; their own mode guards them.
  await chmod(dir, 0o755);
  const tops = new Set([...files.keys()].map((p) => p.split('/')[0]!));
  for (const entry of await readdir(dir)) if (!tops.has(entry)) await rm(path.join(dir, entry), { recursive: true, force: true });
  for (const [rel, f] of files) {
    const dest = path.join(dir, rel);
    await mkdir(path.dirname(dest), { recursive: true });
    const tmp = `${dest}.tmp-${process.pid}`;
    await writeFile(tmp, f.data, { mode: secret ? 0o600 : 0o644 });
    await chmod(tmp, f.mode);
    await rename(tmp, dest);
  }
}
