/**
 * What a daemon holds, read from /proc: open file descriptors, resident memory, and the processes
 * below it. The leak checks of the hang-up test compare these before and after.
 */
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

/** One process: pid, parent, and its command line (for messages). */
export interface ProcInfo { pid: number; ppid: number; cmd: string }

/** Every process on the host, by pid. */
export function allProcesses(): Map<number, ProcInfo> {
  const out = new Map<number, ProcInfo>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      // Field 4 (ppid) comes after "(comm)", which may itself hold spaces and parentheses.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
      out.set(Number(d), { pid: Number(d), ppid, cmd: cmd || stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) });
    } catch { /* it exited while we looked */ }
  }
  return out;
}

/** The processes below pid (children, grandchildren, ...), not pid itself. */
export function descendants(pid: number): ProcInfo[] {
  const procs = allProcesses();
  const byParent = new Map<number, ProcInfo[]>();
  for (const p of procs.values()) byParent.set(p.ppid, [...(byParent.get(p.ppid) ?? []), p]);
  const out: ProcInfo[] = [];
  const walk = (p: number): void => { for (const c of byParent.get(p) ?? []) { out.push(c); walk(c.pid); } };
  walk(pid);
  return out;
}

/** Open file descriptors of a process, with what each points at. */
export function openFds(pid: number): string[] {
  const out: string[] = [];
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try { out.push(readlinkSync(`/proc/${pid}/fd/${fd}`)); } catch { /* closed while we looked */ }
  }
  return out;
}

/** Resident memory of a process in bytes (VmRSS). */
export function rssBytes(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

/** True while the process exists and is not a zombie. */
export function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch { return false; }
}

/** A count of fd targets by kind (socket, pipe, anon_inode:..., or the file path), for leak messages. */
export function fdSummary(fds: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of fds) {
    const kind = /^(socket|pipe|anon_inode:[^\]]*)/.exec(f)?.[1] ?? f;
    out[kind] = (out[kind] ?? 0) + 1;
  }
  return out;
}

/** TCP sockets on the host by inode: local and remote ports and the state (01 ESTABLISHED, 08 CLOSE_WAIT...). */
export function tcpSockets(): Map<string, { local: number; remote: number; state: string }> {
  const out = new Map<string, { local: number; remote: number; state: string }>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try { text = readFileSync(file, 'utf8'); } catch { continue; }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10) continue;
      const port = (a: string | undefined): number => parseInt(a?.split(':')[1] ?? '0', 16);
      out.set(f[9]!, { local: port(f[1]), remote: port(f[2]), state: f[3]! });
    }
  }
  return out;
}

/** The TCP connections among a process's fds, as "local->remote state" (for leak messages). */
export function tcpOf(fds: string[]): string[] {
  const tcp = tcpSockets();
  return fds.flatMap((f) => {
    const inode = /^socket:\[(\d+)\]$/.exec(f)?.[1];
    const s = inode === undefined ? undefined : tcp.get(inode);
    return s ? [`${s.local}->${s.remote} ${s.state}`] : [];
  });
}
