/**
 * What a lanternd server or agent made on the host, removed after it: containers, mounts, network
 * namespaces, its bridge, iptables rules and cgroup parent, all found from its data dir.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Kill and delete every container, mount and network namespace under a data dir. */
export function sweepHost(dataDir: string, bridge: string): void {
  // runc's containers, and those of other runtime handlers (runtime/handlers: runsc's state in DATA/runtimes/runsc).
  for (const [bin, runcRoot] of [['runc', path.join(dataDir, 'agent/containers/runc')], ['runsc', path.join(dataDir, 'agent/runtimes/runsc/runc')]] as const) {
    if (!existsSync(runcRoot)) continue;
    // runc names a directory per container; runsc keeps files that carry the id (SANDBOX_ID.state and the like).
    const ids = bin === 'runc' ? readdirSync(runcRoot) : [...new Set(readdirSync(runcRoot).flatMap((f) => f.match(/[0-9a-f]{64}/g) ?? []))];
    for (const id of ids) {
      spawnSync(bin, ['--root', runcRoot, 'kill', id, 'KILL']);
      for (let i = 0; i < 20; i++) {
        const r = spawnSync(bin, ['--root', runcRoot, 'delete', '--force', id]);
        if (r.status === 0) break;
        spawnSync('sleep', ['0.05']);
      }
    }
  }
  const mounts = readFileSync('/proc/mounts', 'utf8').split('\n').map((l) => l.split(' ')[1] ?? '').filter((m) => m.startsWith(dataDir)).reverse();
  for (const m of mounts) spawnSync('umount', ['-l', m]);
  const tag = spawnSync('sh', ['-c', `ip netns list | awk '{print $1}'`], { encoding: 'utf8' }).stdout.split('\n');
  const prefix = netnsPrefixFor(dataDir);
  for (const ns of tag) if (ns.startsWith(prefix)) spawnSync('ip', ['netns', 'delete', ns]);
  spawnSync('ip', ['link', 'delete', bridge]);
  // The service proxy's table (network/service-proxy/names.ts: proxyTableFor), left on purpose when lanternd stops.
  spawnSync('nft', ['delete', 'table', 'ip', bridge === 'lantern0' ? 'lantern-proxy' : `lantern-proxy-${bridge}`]);
  sweepCniNatRules(`lantern-${tagFor(dataDir)}`);
  removeCgroupParent(`lantern-${tagFor(dataDir)}`);
  // The bridge's FORWARD and masquerade rules (network/iptables.ts: ensureBridgeForwarding).
  for (const [table, chain] of [['filter', 'FORWARD'], ['nat', 'POSTROUTING']]) {
    const rules = spawnSync('iptables', ['-w', '-t', table!, '-S', chain!], { encoding: 'utf8' }).stdout ?? '';
    for (const line of rules.split('\n')) {
      if (!line.startsWith(`-A ${chain} `) || !line.includes(`"lantern ${bridge}"`)) continue;
      const args = line.slice(`-A ${chain} `.length).match(/"[^"]*"|\S+/g)?.map((a) => a.replace(/^"|"$/g, '')) ?? [];
      spawnSync('iptables', ['-w', '-t', table!, '-D', chain!, ...args]);
    }
  }
}

/** Mirrors daemon/node-components.ts: host-wide names derive from the agent's data dir, DATA_DIR/agent. */
function tagFor(dataDir: string): string {
  return createHash('sha256').update(path.join(path.resolve(dataDir), 'agent')).digest('hex').slice(0, 6);
}

function netnsPrefixFor(dataDir: string): string {
  return `lt${tagFor(dataDir)}-`;
}

/** The (empty once runc deleted its containers) cgroup parent under every hierarchy. */
export function removeCgroupParent(name: string): void {
  for (const root of ['/sys/fs/cgroup', '/sys/fs/cgroup/unified']) {
    let dirs: string[] = [];
    try { dirs = readdirSync(root); } catch { continue; }
    for (const d of [...dirs, '.']) {
      const dir = path.join(root, d, name);
      if (existsSync(dir)) spawnSync('rmdir', [dir]);
    }
  }
}

/**
 * The CNI plugins' per-pod nat rules of one network (portmap's DNAT chains and their jumps), for a
 * daemon that was killed before its agent could run DEL. They carry `name: "NETWORK"` comments.
 */
export function sweepCniNatRules(network: string): void {
  const rules = spawnSync('iptables', ['-w', '-t', 'nat', '-S'], { encoding: 'utf8' }).stdout ?? '';
  const chains = new Set<string>();
  for (const line of rules.split('\n')) {
    if (!line.startsWith('-A ') || !line.includes(`name: \\"${network}\\"`)) continue;
    const args = line.slice(3).match(/"(?:[^"\\]|\\.)*"|\S+/g)?.map((a) => a.startsWith('"') ? a.slice(1, -1).replace(/\\"/g, '"') : a) ?? [];
    const target = /-j (CNI-\S+)/.exec(line)?.[1];
    if (target) chains.add(target);
    spawnSync('iptables', ['-w', '-t', 'nat', '-D', ...args]);
  }
  for (const chain of chains) {
    if (chain === 'CNI-HOSTPORT-DNAT' || chain === 'CNI-HOSTPORT-MASQ' || chain === 'CNI-HOSTPORT-SETMARK') continue;
    spawnSync('iptables', ['-w', '-t', 'nat', '-F', chain]);
    spawnSync('iptables', ['-w', '-t', 'nat', '-X', chain]);
  }
}
