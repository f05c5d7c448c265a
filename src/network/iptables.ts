import { runCommand, runTool, toolEnv } from './exec.js';

/** A host port some portmap instance on this host DNATs, with the network and container that own it. */
export interface PublishedPort {
  hostPort: number;
  protocol: string;
  hostIP?: string;
  network?: string;
  containerId?: string;
}

const OWNER = /name: \\?"([^"\\]*)\\?" id: \\?"([^"\\]*)\\?"/;

/**
 * Host ports that portmap already forwards, read from the nat table. This sees pods of other
 * Lantern instances (other stateDirs) and other CNI runtimes, which hold no socket a bind could hit.
 * Returns [] when iptables cannot be read; the ADD will then fail with portmap's own error.
 */
export async function publishedPorts(): Promise<PublishedPort[]> {
  const r = await runCommand('iptables', ['-w', '-t', 'nat', '-S'], { env: toolEnv() }).catch(() => undefined);
  if (!r || r.code !== 0) return [];
  const owners = new Map<string, { network: string; containerId: string }>();
  const lines = r.stdout.split('\n');
  for (const line of lines) {
    const m = /^-A CNI-HOSTPORT-DNAT .* -j (CNI-DN-\S+)/.exec(line);
    const o = OWNER.exec(line);
    if (m?.[1] && o?.[1] !== undefined && o[2] !== undefined) owners.set(m[1], { network: o[1], containerId: o[2] });
  }
  const out: PublishedPort[] = [];
  for (const line of lines) {
    const chain = /^-A (CNI-DN-\S+) /.exec(line)?.[1];
    if (!chain || !line.includes('-j DNAT')) continue;
    const port = /--dport (\d+)/.exec(line)?.[1];
    const protocol = /-p (\w+)/.exec(line)?.[1];
    if (!port || !protocol) continue;
    const hostIP = /-d (\d+\.\d+\.\d+\.\d+)(?:\/32)? /.exec(line)?.[1];
    out.push({ hostPort: Number(port), protocol, ...(hostIP ? { hostIP } : {}), ...owners.get(chain) });
  }
  return out;
}

/**
 * Removes nat rules (and the per-pod chains they jump to) tagged with this network and container.
 * The bridge plugin finds the pod's masquerade rule through the pod's interface, so a DEL after
 * the namespace vanished (deleted by hand, or a crash mid-teardown) leaves it behind; this sweeps it.
 * Rules are deleted by their full spec, not by number, so concurrent writers cannot shift them.
 */
export async function sweepNatRules(network: string, containerId: string): Promise<void> {
  const r = await runCommand('iptables', ['-w', '-t', 'nat', '-S'], { env: toolEnv() });
  if (r.code !== 0) return;
  const chains = new Set<string>();
  for (const line of r.stdout.split('\n')) {
    const o = OWNER.exec(line);
    if (!line.startsWith('-A ') || o?.[1] !== network || o[2] !== containerId) continue;
    const args = splitRule(line);
    const chain = args[1] ?? '';
    if (/^CNI-(DN-)?[0-9a-f]{20,}$/.test(chain)) { chains.add(chain); continue; } // goes with its chain
    const target = args[args.indexOf('-j') + 1];
    if (target && /^CNI-(DN-)?[0-9a-f]{20,}$/.test(target)) chains.add(target);
    await runTool('iptables', ['-w', '-t', 'nat', '-D', ...args.slice(1)]).catch(() => undefined);
  }
  for (const chain of chains) {
    await runTool('iptables', ['-w', '-t', 'nat', '-F', chain]).catch(() => undefined);
    await runTool('iptables', ['-w', '-t', 'nat', '-X', chain]).catch(() => undefined);
  }
}

/** Splits one `iptables -S` line into arguments, undoing its double quotes and backslash escapes. */
export function splitRule(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  let started = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\' && i + 1 < line.length) { cur += line[++i]; started = true; continue; }
    if (c === '"') { quoted = !quoted; started = true; continue; }
    if (c === ' ' && !quoted) {
      if (started) out.push(cur);
      cur = '';
      started = false;
      continue;
    }
    cur += c;
    started = true;
  }
  if (started) out.push(cur);
  return out;
}

const forwardingReady = new Set<string>();

/** Every user-defined bridge network's bridge (user/conflist.ts names them ln-HASH), as iptables matches them all. */
export const USER_BRIDGES = 'ln-+';

/**
 * Masquerade the pods' traffic leaving the subnet, and let traffic out of the pods' bridge, and
 * replies and published-port traffic into it, through the FORWARD chain even when its policy is DROP
 * (Docker and ufw set that): one pair of rules per bridge, as Docker keeps for docker0, checked once
 * per process.
 */
export async function ensureBridgeForwarding(bridge: string, subnet: string, clusterCidr = subnet): Promise<void> {
  if (forwardingReady.has(bridge)) return;
  // Only traffic leaving the cluster's pod range: a pod on another node sees the sender pod's own address.
  const masquerade = ['-s', subnet, '!', '-d', clusterCidr, '-j', 'MASQUERADE', '-m', 'comment', '--comment', `lantern ${bridge}`];
  const present = await runCommand('iptables', ['-w', '-t', 'nat', '-C', 'POSTROUTING', ...masquerade], { env: toolEnv() }).catch(() => undefined);
  if (present?.code !== 0) await runTool('iptables', ['-w', '-t', 'nat', '-A', 'POSTROUTING', ...masquerade]);
  // An older lanternd accepted everything out of the bridge: drop that rule, or its pods would still reach user bridges.
  await runCommand('iptables', ['-w', '-D', 'FORWARD', '-i', bridge, '-j', 'ACCEPT', '-m', 'comment', '--comment', `lantern ${bridge}`], { env: toolEnv() }).catch(() => undefined);
  const rules = [
    // Out of the pods, but not into a user-defined bridge network (Docker's isolation between networks):
    // that traffic goes on to user/host-links.ts's isolation chain, which drops it wherever its jump sits.
    ['-i', bridge, '!', '-o', USER_BRIDGES, '-j', 'ACCEPT', '-m', 'comment', '--comment', `lantern ${bridge}`],
    // Into the pods: replies, and connections to published ports (DNATed by portmap); nothing else.
    ['-o', bridge, '-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED,DNAT', '-j', 'ACCEPT', '-m', 'comment', '--comment', `lantern ${bridge}`],
    // Pods of other nodes (the pod network routes them here, unNATed).
    ...(clusterCidr !== subnet ? [['-s', clusterCidr, '-o', bridge, '-j', 'ACCEPT', '-m', 'comment', '--comment', `lantern ${bridge}`]] : []),
  ];
  for (const rule of rules) {
    const present = await runCommand('iptables', ['-w', '-C', 'FORWARD', ...rule], { env: toolEnv() }).catch(() => undefined);
    if (present?.code === 0) continue;
    await runTool('iptables', ['-w', '-I', 'FORWARD', ...rule]);
  }
  forwardingReady.add(bridge);
}

/** Remove the bridge's FORWARD rules (when the bridge itself is deleted). */
export async function removeBridgeForwarding(bridge: string): Promise<void> {
  for (const [table, chain] of [['filter', 'FORWARD'], ['nat', 'POSTROUTING']] as const) {
    const r = await runCommand('iptables', ['-w', '-t', table, '-S', chain], { env: toolEnv() }).catch(() => undefined);
    for (const line of r?.stdout.split('\n') ?? []) {
      if (!line.startsWith(`-A ${chain} `) || !line.includes(`"lantern ${bridge}"`)) continue;
      const args = line.slice(`-A ${chain} `.length).match(/"[^"]*"|\S+/g)?.map((a) => a.replace(/^"|"$/g, '')) ?? [];
      await runCommand('iptables', ['-w', '-t', table, '-D', chain, ...args], { env: toolEnv() }).catch(() => undefined);
    }
  }
  forwardingReady.delete(bridge);
}
