import { readFile } from 'node:fs/promises';
import os from 'node:os';

/** The whole machine's CPU and memory use, as kubelet's node metrics report them. */
export interface NodeUsage {
  cores: number;
  memoryBytes: number;
  /** CPU time spent not idle, over all cores, since boot. */
  cpuSeconds: number;
  /** MemTotal minus MemAvailable: what the kernel could not hand out at once. */
  memoryWorkingSetBytes: number;
}

/** USER_HZ: /proc/stat counts in clock ticks, 100 per second on every Linux build Node.js runs on. */
const ticksPerSecond = 100;

/** Busy seconds from /proc/stat's first "cpu" line (everything but idle and iowait). */
export function parseProcStat(text: string): number {
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) return 0;
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  // guest and guest_nice are already counted in user and nice.
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = f;
  void idle; void iowait;
  return (user + nice + system + irq + softirq + steal) / ticksPerSecond;
}

/** Used bytes (MemTotal - MemAvailable) from /proc/meminfo; undefined when it cannot be read. */
export function parseMeminfo(text: string): { total: number; used: number } | undefined {
  const kb = (key: string): number | undefined => {
    const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text);
    return m ? Number(m[1]) * 1024 : undefined;
  };
  const total = kb('MemTotal');
  const avail = kb('MemAvailable');
  if (total === undefined || avail === undefined) return undefined;
  return { total, used: total - avail };
}

/** Reads this machine's usage (two small proc files). */
export async function readNodeUsage(): Promise<NodeUsage> {
  const [stat, meminfo] = await Promise.all([
    readFile('/proc/stat', 'utf8').catch(() => ''),
    readFile('/proc/meminfo', 'utf8').catch(() => ''),
  ]);
  const mem = parseMeminfo(meminfo);
  return {
    cores: os.cpus().length,
    memoryBytes: mem?.total ?? os.totalmem(),
    cpuSeconds: parseProcStat(stat),
    memoryWorkingSetBytes: mem?.used ?? os.totalmem() - os.freemem(),
  };
}
