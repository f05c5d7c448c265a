/**
 * Simulated machines for multi-node end-to-end tests: a Linux bridge on the host with 10.240.X.1/24
 * and N network namespaces wired to it by veth pairs (10.240.X.11, .12, ...), each with lo up and a
 * default route via the bridge. Only these addresses and loopback are used.
 *
 *   host netns: lhXXXX (10.240.X.1) ── lhXXXXhN ══ veth ══ eth0 (10.240.X.1N) in netns lh-XXXX-N
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

/** Run a command, throwing with its output when it fails. */
export function sh(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** Run a command, ignoring failure (cleanup). */
function quiet(cmd: string, args: string[]): void {
  spawnSync(cmd, args, { encoding: 'utf8' });
}

/** One simulated machine: a network namespace with an address on the shared bridge. */
export interface NetnsHost { index: number; netns: string; address: string; hostVeth: string }

/** A bridge plus N namespaces; create() builds them and destroy() removes everything (idempotent). */
export class NetnsHosts {
  readonly id = randomBytes(2).toString('hex');
  readonly bridge = `lh${this.id}`;
  /** The third octet, picked so neither 10.240.X.0/24 nor 10.241.X.0/24 is routed here already. */
  readonly octet = freeOctet();
  readonly gateway = `10.240.${this.octet}.1`;
  readonly hosts: NetnsHost[];

  constructor(count: number) {
    this.hosts = Array.from({ length: count }, (_, i) => ({
      index: i + 1,
      netns: `lh-${this.id}-${i + 1}`,
      address: `10.240.${this.octet}.${11 + i}`,
      hostVeth: `lh${this.id}h${i + 1}`,
    }));
  }

  /** Build the bridge and the namespaces; on failure, remove what was made and rethrow. */
  create(): void {
    try {
      sh('ip', ['link', 'add', this.bridge, 'type', 'bridge']);
      sh('ip', ['addr', 'add', `${this.gateway}/24`, 'dev', this.bridge]);
      sh('ip', ['link', 'set', this.bridge, 'up']);
      for (const h of this.hosts) {
        const peer = `lh${this.id}p${h.index}`;
        sh('ip', ['netns', 'add', h.netns]);
        sh('ip', ['link', 'add', h.hostVeth, 'type', 'veth', 'peer', 'name', peer]);
        sh('ip', ['link', 'set', h.hostVeth, 'master', this.bridge, 'up']);
        sh('ip', ['link', 'set', peer, 'netns', h.netns]);
        this.exec(h, 'ip', ['link', 'set', peer, 'name', 'eth0']);
        this.exec(h, 'ip', ['addr', 'add', `${h.address}/24`, 'dev', 'eth0']);
        this.exec(h, 'ip', ['link', 'set', 'eth0', 'up']);
        this.exec(h, 'ip', ['link', 'set', 'lo', 'up']);
        this.exec(h, 'ip', ['route', 'add', 'default', 'via', this.gateway]);
      }
    } catch (e) {
      this.destroy();
      throw e;
    }
  }

  /**
   * The argv prefix that runs a command in the host's network namespace only. `ip netns exec` is not
   * used for daemons: it also remounts /sys, which hides /sys/fs/cgroup, and runc then cannot make cgroups.
   */
  enter(h: NetnsHost): string[] {
    return ['nsenter', `--net=/run/netns/${h.netns}`, '--'];
  }

  /** Run a command inside a host's network namespace and return its stdout. */
  exec(h: NetnsHost, cmd: string, args: string[]): string {
    return sh('ip', ['netns', 'exec', h.netns, cmd, ...args]);
  }

  /** Cut (false) or restore (true) a host's link to the bridge. */
  setLink(h: NetnsHost, up: boolean): void {
    sh('ip', ['link', 'set', h.hostVeth, up ? 'up' : 'down']);
  }

  /** Delete the namespaces (with everything inside), the veths and the bridge. */
  destroy(): void {
    for (const h of this.hosts) {
      quiet('ip', ['netns', 'delete', h.netns]);
      quiet('ip', ['link', 'delete', h.hostVeth]);
    }
    quiet('ip', ['link', 'delete', this.bridge]);
  }

  /** Names of this run's leftovers in `ip netns list` / `ip link` (empty after destroy()). */
  leftovers(): string[] {
    const ns = sh('ip', ['netns', 'list']).split('\n').filter((l) => l.startsWith(`lh-${this.id}-`));
    const links = sh('ip', ['-o', 'link']).split('\n').filter((l) => l.includes(`lh${this.id}`));
    return [...ns, ...links];
  }
}

function freeOctet(): number {
  const routes = sh('ip', ['-4', 'route', 'show', 'table', 'all']);
  for (let i = 0; i < 100; i++) {
    const x = 1 + Math.floor(Math.random() * 254);
    if (!routes.includes(`10.240.${x}.`) && !routes.includes(`10.241.${x}.`)) return x;
  }
  throw new Error('no free 10.240.X.0/24 found for the test network');
}
