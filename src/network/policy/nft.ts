/** The node side of NetworkPolicy: the compiled table into the kernel with `nft -f -`, and the host settings it needs. */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runCommand, toolEnv } from '../exec.js';

/** The node's own table: `lantern-netpol`, or with a suffix from the data dir so two daemons on one host (tests) never share one. */
export function policyTableName(dataDir: string): string {
  const dir = path.resolve(dataDir);
  return dir === '/var/lib/lantern' ? 'lantern-netpol' : `lantern-netpol-${createHash('sha256').update(dir).digest('hex').slice(0, 6)}`;
}

/** Applies a script in one transaction (the table is replaced atomically or not at all). */
export async function applyNft(script: string): Promise<void> {
  const r = await runCommand('nft', ['-f', '-'], { input: script, env: toolEnv(), timeoutMs: 30_000 });
  if (r.code !== 0) throw new Error(`nft -f - failed (exit ${r.code}): ${r.stderr.trim()}`);
}

/** Removes the table; no error when it is not there. */
export async function deleteNftTable(table: string): Promise<void> {
  await runCommand('nft', ['delete', 'table', 'inet', table], { env: toolEnv(), timeoutMs: 30_000 });
}

const BRIDGE_NF = '/proc/sys/net/bridge/bridge-nf-call-iptables';

/**
 * Pods on one bridge talk through the bridge, which the inet hooks do not see unless br_netfilter
 * hands bridged IPv4 to them (as Kubernetes requires for kube-proxy too). Turns it on; says why when it cannot.
 */
export async function ensureBridgeNetfilter(log: (m: string) => void): Promise<void> {
  if (!existsSync(BRIDGE_NF)) await runCommand('modprobe', ['br_netfilter'], { env: toolEnv() }).catch(() => undefined);
  const now = await readFile(BRIDGE_NF, 'utf8').catch(() => undefined);
  if (now === undefined) { log(`${BRIDGE_NF} does not exist (no br_netfilter): NetworkPolicy cannot see traffic between pods of this node`); return; }
  if (now.trim() !== '1') await writeFile(BRIDGE_NF, '1\n').catch((e: unknown) => log(`cannot turn on ${BRIDGE_NF}: ${String(e)}`));
}
