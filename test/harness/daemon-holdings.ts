/**
 * What a lanternd process and its pods hold at one moment (fds, memory, processes below it, processes
 * in its containers), and the comparison the leak checks make against a snapshot taken before.
 */
import { spawnSync } from 'node:child_process';
import { allProcesses, descendants, fdSummary, openFds, rssBytes, tcpOf, type ProcInfo } from './proc-scan.js';

/** One daemon: its pid, its runc root and the container ids whose processes are counted. */
export interface Daemon { name: string; pid: number; runcRoot: string; containers: string[] }

/** A snapshot of one daemon. */
export interface Holdings { fds: string[]; rss: number; below: ProcInfo[]; inContainers: Record<string, number[]> }

/** The pids in a container's cgroup (the pod's own processes plus anything exec'd into it). */
export function containerPids(runcRoot: string, id: string): number[] {
  const r = spawnSync('runc', ['--root', runcRoot, 'ps', '--format', 'json', id], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`runc ps ${id} failed: ${r.stderr}`);
  return JSON.parse(r.stdout || '[]') as number[];
}

export function snapshot(d: Daemon): Holdings {
  const inContainers: Record<string, number[]> = {};
  for (const c of d.containers) inContainers[c] = containerPids(d.runcRoot, c);
  return { fds: openFds(d.pid), rss: rssBytes(d.pid), below: descendants(d.pid), inContainers };
}

/** How much more a daemon may hold afterwards: pooled keep-alive connections come and go; files and pipes should not. */
export interface Slack { sockets: number; otherFds: number }

/**
 * What is left over now compared with `before`: problems as readable lines (empty when none). Any
 * TCP connection still open to one of `clientPorts` (the local ports of connections the test hung
 * up) is a leak whatever the slack.
 */
export function leftovers(d: Daemon, before: Holdings, now: Holdings, slack: Slack, clientPorts: ReadonlySet<number>): string[] {
  const problems: string[] = [];
  const known = new Set(before.below.map((p) => p.pid));
  const extra = now.below.filter((p) => !known.has(p.pid));
  if (extra.length > 0) problems.push(`${d.name}: ${extra.length} processes below it that were not there before: ${extra.map((p) => `${p.pid} ${p.cmd}`).join('; ')}`);
  for (const [c, pids] of Object.entries(now.inContainers)) {
    const had = before.inContainers[c]?.length ?? 0;
    if (pids.length > had) {
      const procs = allProcesses();
      problems.push(`${d.name}: container ${c.slice(0, 12)} holds ${pids.length} processes, ${had} before: ${pids.map((p) => `${p} ${procs.get(p)?.cmd ?? '?'}`).join('; ')}`);
    }
  }
  // Nothing in the daemon keeps a container's log open once its readers are gone (conmon writes it).
  const logs = now.fds.filter((f) => f.endsWith('/ctr.log'));
  if (logs.length > 0) problems.push(`${d.name}: ${logs.length} container logs still open (a log stream outlived its client): ${logs.join(', ')}`);
  const held = tcpOf(now.fds).filter((c) => clientPorts.has(Number(/->(\d+) /.exec(c)?.[1])));
  if (held.length > 0) problems.push(`${d.name}: still holds ${held.length} connections of clients that hung up: ${held.join(', ')}`);
  const sockets = (h: Holdings): number => h.fds.filter((f) => f.startsWith('socket:')).length;
  const others = (h: Holdings): number => h.fds.length - sockets(h);
  const had = new Set(before.fds);
  if (sockets(now) > sockets(before) + slack.sockets || others(now) > others(before) + slack.otherFds) {
    problems.push(`${d.name}: ${sockets(now)} sockets and ${others(now)} other fds open, ${sockets(before)} and ${others(before)} before (slack ${slack.sockets} and ${slack.otherFds}); now ${JSON.stringify(fdSummary(now.fds))}; new TCP connections: ${tcpOf(now.fds.filter((f) => !had.has(f))).join(', ')}`);
  }
  return problems;
}
