/**
 * Sizes of local-path volumes: enforced only where the filesystem has project quotas (ext4/xfs
 * mounted with prjquota/pquota), which this platform's usual hosts lack, so the agent reports the
 * bytes a volume's directory uses instead (the PV annotation storage.lantern.dev/used-bytes).
 */
import { lstat, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/** The bytes the files under dir take on disk (allocated blocks; symlinks are not followed; 0 when absent). */
export async function usedBytes(dir: string): Promise<number> {
  let total = 0;
  const walk = async (p: string): Promise<void> => {
    const st = await lstat(p).catch(() => undefined);
    if (!st) return;
    total += st.blocks * 512;
    if (!st.isDirectory()) return;
    for (const name of await readdir(p).catch(() => [] as string[])) await walk(path.join(p, name));
  };
  const root = await lstat(dir).catch(() => undefined);
  if (!root?.isDirectory()) return 0;
  for (const name of await readdir(dir).catch(() => [] as string[])) await walk(path.join(dir, name));
  return total;
}

/** The mount (mountinfo line) that holds dir: the longest mount point that is a prefix of it. */
export function mountOf(mountinfo: string, dir: string): { point: string; fstype: string; options: string[] } | undefined {
  let best: { point: string; fstype: string; options: string[] } | undefined;
  for (const line of mountinfo.split('\n')) {
    const [left, right] = line.split(' - ');
    const f = left?.split(' ');
    const r = right?.split(' ');
    if (!f || !r || f.length < 6) continue;
    const point = (f[4] ?? '').replace(/\\040/g, ' ');
    const under = point === '/' || dir === point || dir.startsWith(`${point}/`);
    if (!under || (best && best.point.length > point.length)) continue;
    best = { point, fstype: r[0] ?? '', options: [...(f[5] ?? '').split(','), ...(r[2] ?? '').split(',')] };
  }
  return best;
}

/** Whether dir's filesystem can enforce sizes with project quotas (ext4 or xfs mounted prjquota/pquota). */
export async function hasProjectQuotas(dir: string, mountinfo?: string): Promise<boolean> {
  const text = mountinfo ?? await readFile('/proc/self/mountinfo', 'utf8').catch(() => '');
  const m = mountOf(text, dir);
  if (!m || (m.fstype !== 'ext4' && m.fstype !== 'xfs')) return false;
  return m.options.some((o) => o === 'prjquota' || o === 'pquota');
}
