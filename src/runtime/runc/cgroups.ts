import { existsSync, readFileSync } from 'node:fs';
import { readFile, readdir, rmdir } from 'node:fs/promises';
import { join } from 'node:path';

/** All cgroup path logic of the runtime: where a container's cgroup lives and what its files say. */

const CGROUP_ROOT = '/sys/fs/cgroup';
/** Values at or above this mean "no limit" (v1 prints 9223372036854771712). */
const UNLIMITED = 2 ** 62;

/** True on a unified (v2-only) hierarchy. Hybrid hosts (v1 + /sys/fs/cgroup/unified) count as v1. */
export function isCgroupV2(): boolean {
  return existsSync(join(CGROUP_ROOT, 'cgroup.controllers'));
}

/** The cgroupsPath given to runc (cgroupfs driver): "/<parent>/<id>". */
export function containerCgroupPath(parent: string, id: string): string {
  const clean = parent.split('/').filter((p) => p !== '').join('/');
  return `/${clean ? `${clean}/` : ''}${id}`;
}

let v1Mounts: Map<string, string> | undefined;

/** controller name -> mount point, read once from mountinfo (cpu and cpuacct may share one). */
function v1MountPoints(): Map<string, string> {
  if (v1Mounts) return v1Mounts;
  const map = new Map<string, string>();
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const [pre, post] = line.split(' - ');
    if (!pre || !post) continue;
    const [fstype, , superOpts] = post.split(' ');
    if (fstype !== 'cgroup' || !superOpts) continue;
    const mountPoint = pre.split(' ')[4];
    if (!mountPoint) continue;
    for (const opt of superOpts.split(',')) {
      const name = opt.startsWith('name=') ? opt.slice(5) : opt;
      if (!map.has(name)) map.set(name, mountPoint);
    }
  }
  v1Mounts = map;
  return map;
}

/** Directory of `controller` for a cgroup path; on v2 the controller is ignored. */
export function cgroupDir(cgroupPath: string, controller: string): string {
  if (isCgroupV2()) return join(CGROUP_ROOT, cgroupPath);
  return join(v1MountPoints().get(controller) ?? join(CGROUP_ROOT, controller), cgroupPath);
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

async function readNumber(path: string): Promise<number | undefined> {
  const t = (await readText(path))?.trim();
  if (t === undefined || t === '' || t === 'max') return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

/** Parses "key value" lines (memory.stat, cpu.stat, memory.events, memory.oom_control). */
export function parseKeyValues(text: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const line of text.split('\n')) {
    const [k, v] = line.trim().split(/\s+/);
    if (k && v !== undefined && Number.isFinite(Number(v))) m.set(k, Number(v));
  }
  return m;
}

/** Raw cgroup numbers for one container. */
export interface CgroupStats {
  cpuUsageNanos: number;
  memoryUsageBytes: number;
  memoryWorkingSetBytes: number;
  memoryLimitBytes?: number;
  pids: number;
}

/** The directories one container's counters live in: one dir on v2, one per controller on v1. */
export interface CgroupDirs { version: 1 | 2; cpu: string; memory: string; pids: string }

/** Reads CPU, memory and pids counters; undefined when the cgroup does not exist. */
export async function readCgroupStats(cgroupPath: string): Promise<CgroupStats | undefined> {
  const v2 = isCgroupV2();
  return readCgroupStatsAt({
    version: v2 ? 2 : 1,
    cpu: cgroupDir(cgroupPath, v2 ? 'cpu' : 'cpuacct'),
    memory: cgroupDir(cgroupPath, 'memory'),
    pids: cgroupDir(cgroupPath, 'pids'),
  });
}

/** readCgroupStats over explicit directories (tests point it at fixture trees). */
export async function readCgroupStatsAt(dirs: CgroupDirs): Promise<CgroupStats | undefined> {
  const mem = dirs.memory;
  if (!existsSync(mem)) return undefined;
  const memStat = parseKeyValues((await readText(join(mem, 'memory.stat'))) ?? '');
  let cpu: number;
  let usage: number;
  let inactiveFile: number;
  let limit: number | undefined;
  if (dirs.version === 2) {
    const cpuStat = parseKeyValues((await readText(join(dirs.cpu, 'cpu.stat'))) ?? '');
    cpu = (cpuStat.get('usage_usec') ?? 0) * 1000;
    usage = (await readNumber(join(mem, 'memory.current'))) ?? 0;
    inactiveFile = memStat.get('inactive_file') ?? 0;
    limit = await readNumber(join(mem, 'memory.max'));
  } else {
    cpu = (await readNumber(join(dirs.cpu, 'cpuacct.usage'))) ?? 0;
    usage = (await readNumber(join(mem, 'memory.usage_in_bytes'))) ?? 0;
    inactiveFile = memStat.get('total_inactive_file') ?? 0;
    limit = await readNumber(join(mem, 'memory.limit_in_bytes'));
  }
  if (limit !== undefined && limit >= UNLIMITED) limit = undefined;
  const pids = (await readNumber(join(dirs.pids, 'pids.current'))) ?? 0;
  const stats: CgroupStats = {
    cpuUsageNanos: cpu,
    memoryUsageBytes: usage,
    // What the kubelet evicts on: usage minus page cache the kernel can drop at once.
    memoryWorkingSetBytes: Math.max(0, usage - inactiveFile),
    pids,
  };
  if (limit !== undefined) stats.memoryLimitBytes = limit;
  return stats;
}

/** How many processes the OOM killer ended in this cgroup; undefined when the cgroup is gone. */
export async function readOomKillCount(cgroupPath: string): Promise<number | undefined> {
  const mem = cgroupDir(cgroupPath, 'memory');
  if (isCgroupV2()) {
    const events = await readText(join(mem, 'memory.events'));
    return events === undefined ? undefined : parseKeyValues(events).get('oom_kill') ?? 0;
  }
  const control = await readText(join(mem, 'memory.oom_control'));
  if (control === undefined) return undefined;
  const kills = parseKeyValues(control).get('oom_kill');
  if (kills !== undefined) return kills;
  // Kernels before 4.13 have no oom_kill counter: a hit limit is the best evidence left.
  return ((await readNumber(join(mem, 'memory.failcnt'))) ?? 0) > 0 ? 1 : 0;
}

/** Removes an (empty) cgroup directory in every hierarchy, deepest first; errors are ignored. */
export async function removeCgroupTree(cgroupPath: string): Promise<void> {
  const roots = isCgroupV2() ? [CGROUP_ROOT] : [...new Set(v1MountPoints().values())];
  if (!isCgroupV2() && existsSync(join(CGROUP_ROOT, 'unified', 'cgroup.controllers'))) roots.push(join(CGROUP_ROOT, 'unified'));
  await Promise.all(roots.map((root) => removeDeep(join(root, cgroupPath))));
}

async function removeDeep(dir: string): Promise<void> {
  let entries: string[];
  try {
    entries = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch {
    return;
  }
  for (const e of entries) await removeDeep(join(dir, e));
  await rmdir(dir).catch(() => undefined);
}
