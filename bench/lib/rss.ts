import { readdirSync, readFileSync } from 'node:fs';

/** One process as /proc shows it. */
export interface ProcInfo { pid: number; ppid: number; comm: string; cmdline: string }

/** VmRSS of one process in KiB (0 when it is gone). */
export function rssKib(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch { return 0; }
}

/** Proportional set size in KiB (shared pages split among their users; 0 when gone). */
export function pssKib(pid: number): number {
  try {
    const m = /^Pss:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch { return 0; }
}

/** Every process on the host (kernel threads included; they have an empty cmdline). */
export function processes(): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // comm sits in parentheses and may hold spaces; ppid is the second field after it.
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const ppid = Number(stat.slice(close + 2).split(' ')[1]);
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ').trim();
      out.push({ pid: Number(name), ppid, comm, cmdline });
    } catch { /* exited while we looked */ }
  }
  return out;
}

/** A group of processes and their summed RSS. */
export interface RssGroup { count: number; kib: number; pssKib: number; pids: number[] }

/** Sum VmRSS over the processes a predicate selects. */
export function rssOf(pred: (p: ProcInfo) => boolean): RssGroup {
  const pids = processes().filter(pred).map((p) => p.pid);
  return { count: pids.length, kib: pids.reduce((s, pid) => s + rssKib(pid), 0), pssKib: pids.reduce((s, pid) => s + pssKib(pid), 0), pids };
}
