/** Cleans what a build interrupted by a daemon crash left: RUN containers, step mounts, scratch dirs. */
import { readFile, rm } from 'node:fs/promises';
import { runCommand } from '../runtime/runc/proc.js';
import { unmountRootfs } from '../runtime/runc/rootfs.js';
import type { BuildCache } from './cache.js';

/** Deletes runc containers under the cache's runc root, unmounts step rootfs dirs and empties tmp/. */
export async function recoverBuildCache(cache: BuildCache): Promise<void> {
  const list = await runCommand('runc', ['--root', cache.runcRoot, 'list', '-q'], { timeoutMs: 30_000 }).catch(() => undefined);
  for (const id of (list?.code === 0 ? list.stdout : '').split('\n').filter(Boolean)) {
    await runCommand('runc', ['--root', cache.runcRoot, 'delete', '--force', id], { timeoutMs: 60_000 });
  }
  const mounts = (await readFile('/proc/self/mountinfo', 'utf8')).split('\n').map((l) => l.split(' ')[4] ?? '')
    .filter((m) => m.startsWith(`${cache.tmpDir}/`)).reverse();
  for (const m of mounts) await unmountRootfs(m);
  await rm(cache.tmpDir, { recursive: true, force: true });
}
