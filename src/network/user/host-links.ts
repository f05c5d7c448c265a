/**
 * What a user network needs on the host besides the CNI plugins: the isolation rules of bridge
 * networks (Docker's DOCKER-ISOLATION idea: no forwarding between two user bridges, nor into one from
 * elsewhere but replies), the 802.1Q link of a macvlan/ipvlan --vlan network, and the checks that a
 * parent interface exists.
 */
import { ApiError } from '../../api/errors.js';
import { runCommand, runTool, toolEnv } from '../exec.js';
import { splitRule, USER_BRIDGES } from '../iptables.js';

/** The filter chain FORWARD jumps to first. */
export const ISOLATION_CHAIN = 'LANTERN-NET-ISOLATION';

const ipt = (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => runCommand('iptables', ['-w', ...args], { env: toolEnv() });

/** Add a rule unless it is there (-C first); insert puts it at the top of the chain. */
async function ensureRule(chain: string, rule: string[], insert = false): Promise<void> {
  if ((await ipt(['-C', chain, ...rule])).code === 0) return;
  const r = await ipt([insert ? '-I' : '-A', chain, ...rule]);
  if (r.code !== 0) throw new Error(`iptables ${insert ? '-I' : '-A'} ${chain} ${rule.join(' ')}: ${r.stderr.trim()}`);
}

/** The chain, FORWARD's jump to it, and the rules shared by every user bridge. */
async function ensureIsolationChain(): Promise<void> {
  if ((await ipt(['-n', '-L', ISOLATION_CHAIN])).code !== 0) await ipt(['-N', ISOLATION_CHAIN]);
  await ensureRule('FORWARD', ['-j', ISOLATION_CHAIN], true);
  await ensureRule(ISOLATION_CHAIN, ['-o', USER_BRIDGES, '-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', '-j', 'ACCEPT']);
  await ensureRule(ISOLATION_CHAIN, ['-o', USER_BRIDGES, '-j', 'DROP']);
  await ensureRule(ISOLATION_CHAIN, ['-i', USER_BRIDGES, '-j', 'ACCEPT']);
}

/**
 * Isolate a user bridge: its pods reach each other and the outside, nothing reaches them from another
 * bridge (the shared rules), and, given the node's default pod bridge, they open no connection to the
 * default network's pods either (replies and published ports, DNATed, still pass). The default bridge's
 * own FORWARD rule (network/iptables.ts) leaves traffic into ln-+ to this chain, so the order of the
 * jumps in FORWARD does not matter.
 */
export async function isolateBridge(bridge: string, podBridge?: string): Promise<void> {
  await ensureIsolationChain();
  await ensureRule(ISOLATION_CHAIN, ['-i', bridge, '-o', bridge, '-j', 'ACCEPT'], true);
  if (podBridge !== undefined) {
    await ensureRule(ISOLATION_CHAIN, ['-i', bridge, '-o', podBridge, '-m', 'conntrack', '!', '--ctstate', 'RELATED,ESTABLISHED,DNAT', '-j', 'DROP'], true);
  }
}

/** Remove every rule of the chain naming the bridge, and the bridge itself (its last pod left this node). */
export async function removeBridge(bridge: string): Promise<void> {
  for (const line of (await ipt(['-S', ISOLATION_CHAIN])).stdout.split('\n')) {
    const args = splitRule(line);
    if (args[0] !== '-A' || args[1] !== ISOLATION_CHAIN || !args.includes(bridge)) continue;
    await ipt(['-D', ISOLATION_CHAIN, ...args.slice(2)]);
  }
  await runCommand('ip', ['link', 'delete', bridge, 'type', 'bridge'], { env: toolEnv() });
}

/** Throws a clear error naming the interface unless it exists in the host's namespace. */
export async function assertLinkExists(name: string, what: string): Promise<void> {
  const r = await runCommand('ip', ['-j', 'link', 'show', 'dev', name], { env: toolEnv() });
  if (r.code !== 0) {
    throw new ApiError('Invalid', `${what} ${name} does not exist on this node; create the network with a --parent that this node has (see ip link)`);
  }
}

/** Whether a link exists. */
export async function linkExists(name: string): Promise<boolean> {
  return (await runCommand('ip', ['link', 'show', 'dev', name], { env: toolEnv() })).code === 0;
}

/** Make PARENT.VLAN (802.1Q) if missing; true when this call made it. */
export async function ensureVlanLink(parent: string, name: string, vlan: number): Promise<boolean> {
  if (await linkExists(name)) return false;
  await runTool('ip', ['link', 'add', 'link', parent, 'name', name, 'type', 'vlan', 'id', String(vlan)]);
  await runTool('ip', ['link', 'set', 'dev', name, 'up']);
  return true;
}

/** Delete a link we made (a VLAN link); a missing one is fine. */
export async function deleteLink(name: string): Promise<void> {
  await runCommand('ip', ['link', 'delete', name], { env: toolEnv() });
}
