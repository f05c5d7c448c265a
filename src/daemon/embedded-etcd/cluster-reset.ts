/**
 * `lanternd server --cluster-reset [--cluster-reset-restore-path FILE]` with the embedded etcd (k3s'
 * recovery when quorum is lost for good): the member list becomes this one member, with its data kept
 * (etcd's --force-new-cluster, run once here, then etcd is started as usual), or, with a restore path,
 * the data is first replaced by that etcd snapshot (etcdctl snapshot restore; the old data is kept
 * beside it as data.before-reset-TIME).
 */
import { spawn } from 'node:child_process';
import { rename, stat } from 'node:fs/promises';
import path from 'node:path';
import type { EtcdCertFiles } from './certs.js';
import { etcdArgs, peerUrl } from './etcd-args.js';
import type { EmbeddedEtcdConfig } from './flags.js';
import { memberClient } from './members.js';
import { Supervisor } from './supervisor.js';

const exists = (p: string): Promise<boolean> => stat(p).then(() => true, () => false);

/** Runs a command to its end; its output in the error when it fails. */
function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => { out = (out + b.toString()).slice(-4000); });
    child.stderr.on('data', (b: Buffer) => { out = (out + b.toString()).slice(-4000); });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args[0] ?? ''} ${args[1] ?? ''} failed (code ${code ?? '?'}): ${out.trim()}`))));
  });
}

/**
 * Resets the member whose data is under e.dir before it is started (see the file comment); `name` is
 * its member name. Throws, naming what to do, when there is nothing to reset.
 */
export async function resetEmbeddedEtcd(e: EmbeddedEtcdConfig, name: string, certs: EtcdCertFiles, restoreFrom: string | undefined, log: (line: string) => void): Promise<void> {
  const data = path.join(e.dir, 'data');
  const peer = peerUrl(e.advertiseAddress, e.peerPort);
  if (restoreFrom !== undefined) {
    if (!(await exists(restoreFrom))) throw new Error(`--cluster-reset-restore-path ${restoreFrom}: no such file; list snapshots with lanternd snapshot ls`);
    if (await exists(data)) {
      const kept = `${data}.before-reset-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      await rename(data, kept);
      log(`--cluster-reset: the member's previous data is kept as ${kept}`);
    }
    await run('etcdctl', ['snapshot', 'restore', restoreFrom, '--name', name, '--data-dir', data, '--initial-cluster', `${name}=${peer}`, '--initial-advertise-peer-urls', peer]);
    log(`--cluster-reset: etcd data restored from ${restoreFrom}; this server is the cluster's only member`);
    return;
  }
  if (!(await exists(path.join(data, 'member')))) {
    throw new Error(`--cluster-reset: ${data} holds no etcd member to reset; give --cluster-reset-restore-path FILE to start from a snapshot`);
  }
  // --force-new-cluster rewrites the membership on start; running it once and stopping keeps every later
  // (supervised) start an ordinary one, so a crash loop never forces again.
  const once = new Supervisor({ command: 'etcd', args: [...etcdArgs({ name, dataDir: e.dir, clientPort: e.clientPort, peerPort: e.peerPort, advertiseAddress: e.advertiseAddress, certs }), '--force-new-cluster'] });
  once.start();
  const client = await memberClient(e.clientPort, certs);
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      try { await client.get('/registry/lantern/etcd-probe').string(); break; } catch (err) {
        if (Date.now() > deadline) throw new Error(`--cluster-reset: etcd did not serve with --force-new-cluster within 60 s (${err instanceof Error ? err.message : String(err)}); its output:\n${once.output.slice(-3000)}`);
      }
      await new Promise((r) => setTimeout(r, 300));
    }
    const { members } = await client.cluster.memberList({});
    log(`--cluster-reset: the etcd cluster is now this member only (${members.map((m) => m.name).join(', ')}); its data is kept`);
  } finally {
    client.close();
    await once.stop();
  }
}
