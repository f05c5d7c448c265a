/** `lcctl stats` arithmetic: CPU % from two cumulative samples, memory against the limit. */
import type { ContainerUsage } from '../../api/node-services.js';

/** One container's sample, with what the row shows about it. */
export interface StatsSample { key: string; id: string; name: string; usage: ContainerUsage; limitFallback?: number }

/** A stats table row. */
export interface StatsRow { id: string; name: string; cpu: string; mem: string; memPercent: string; pids: string }

/** Docker's binary size: 4 significant digits, B/KiB/MiB/GiB ("1.523MiB"). */
export function dockerBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${Number(v.toPrecision(4))}${units[i]}`;
}

/** CPU % over the interval between two samples (100% = one core fully busy). */
export function cpuPercent(prev: ContainerUsage | undefined, cur: ContainerUsage): number {
  if (!prev) return 0;
  const wallNs = (cur.timestamp - prev.timestamp) * 1e6;
  const cpuNs = cur.cpuUsageNanos - prev.cpuUsageNanos;
  if (wallNs <= 0 || cpuNs < 0) return 0;
  return (cpuNs / wallNs) * 100;
}

/** Build rows from this round's samples and the previous round's (keyed by sample key). */
export function statsRows(samples: StatsSample[], previous: Map<string, ContainerUsage>): StatsRow[] {
  return samples.map((s) => {
    const limit = s.usage.memoryLimitBytes ?? s.limitFallback;
    const used = s.usage.memoryWorkingSetBytes || s.usage.memoryUsageBytes;
    return {
      id: s.id,
      name: s.name,
      cpu: `${cpuPercent(previous.get(s.key), s.usage).toFixed(2)}%`,
      mem: `${dockerBytes(used)} / ${limit ? dockerBytes(limit) : '--'}`,
      memPercent: limit ? `${((used / limit) * 100).toFixed(2)}%` : '--',
      pids: String(s.usage.pids),
    };
  });
}
