/**
 * The embedded etcd member of `lanternd server --cluster-init` / `--server URL --token T`: makes (or,
 * joining, receives) the cluster CA, signs the member's certificate, starts etcd under a Supervisor and
 * waits until it serves linearizable reads (a joiner: until the first server has promoted it).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Etcd3 } from 'etcd3';
import type { Identity } from '../../server/http/auth.js';
import { ensureServerPki } from '../pki/pki.js';
import { loadOrCreateToken } from '../credentials.js';
import { ensureEtcdCert } from './certs.js';
import { resetEmbeddedEtcd } from './cluster-reset.js';
import { etcdArgs, peerUrl, type MemberSpec } from './etcd-args.js';
import type { EmbeddedEtcdConfig } from './flags.js';
import { joinCluster } from './join-client.js';
import { serverJoinHandler } from './join-route.js';
import { memberClient, promoteWhenReady } from './members.js';
import { writeServerToken } from './server-token.js';
import { Supervisor } from './supervisor.js';

/** The running member. */
export interface EmbeddedEtcd {
  name: string;
  peerURL: string;
  supervisor: Supervisor;
  /** POST servers/join: add a further server's member (handed to the HTTP server). */
  joinHandler: (req: IncomingMessage, res: ServerResponse, caller: Identity) => Promise<void>;
  stop(): Promise<void>;
}

const exists = (p: string): Promise<boolean> => stat(p).then(() => true, () => false);

/** This member's name: kept in DATA_DIR/etcd/name, the host name and a random suffix (k3s' scheme). */
async function memberName(dir: string): Promise<string> {
  const file = path.join(dir, 'name');
  const kept = (await readFile(file, 'utf8').catch(() => '')).trim();
  if (kept !== '') return kept;
  const host = os.hostname().toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 40).replace(/^-+|-+$/g, '') || 'server';
  const name = `${host}-${randomBytes(4).toString('hex')}`;
  await writeFile(file, name + '\n', { mode: 0o600 });
  return name;
}

/** Starts the member as E says; SANS are the serving certificate's names (the CA is made with them). */
export async function startEmbeddedEtcd(dataDir: string, e: EmbeddedEtcdConfig, sans: string[], log: (line: string) => void): Promise<EmbeddedEtcd> {
  await mkdir(e.dir, { recursive: true, mode: 0o700 });
  const name = await memberName(e.dir);
  const peer = peerUrl(e.advertiseAddress, e.peerPort);
  const hasData = await exists(path.join(e.dir, 'data', 'member'));
  let initial: MemberSpec['initial'];
  let joinedAs: string | undefined;
  if (e.mode === 'join' && !hasData) {
    const b = await joinCluster(e.server!, e.token!, dataDir, { name, peerURL: peer });
    initial = { state: 'existing', cluster: b.initialCluster };
    joinedAs = b.memberId;
    log(`joined the cluster of ${e.server} as etcd member ${name} (${b.memberId}, a learner until it has caught up)`);
  } else if (e.mode === 'init' && !hasData) {
    initial = { state: 'new', cluster: `${name}=${peer}` };
  }
  const pki = await ensureServerPki(e.pkiDir, sans);
  await writeServerToken(dataDir, pki.caCert, await loadOrCreateToken(path.join(dataDir, 'admin-token'), 'lt-admin-'));
  const certs = await ensureEtcdCert(path.join(e.dir, 'pki'), e.pkiDir, ['localhost', '127.0.0.1', e.advertiseAddress]);
  if (e.reset) {
    await resetEmbeddedEtcd(e, name, certs, e.reset.restoreFrom, log);
    initial = undefined;
  }
  const supervisor = new Supervisor({ command: 'etcd', args: etcdArgs({ name, dataDir: e.dir, clientPort: e.clientPort, peerPort: e.peerPort, advertiseAddress: e.advertiseAddress, certs, initial }), log: (l) => log(`embedded etcd: ${l}`) });
  supervisor.start();
  const client = await memberClient(e.clientPort, certs);
  try {
    await untilServing(client, supervisor, joinedAs !== undefined ? 180_000 : 60_000);
  } catch (err) {
    client.close();
    await supervisor.stop();
    throw err;
  }
  log(`embedded etcd member ${name} serves on https://127.0.0.1:${e.clientPort} (peer ${peer})`);
  const joinHandler = serverJoinHandler(dataDir, () => client.cluster, (id) => {
    promoteWhenReady(client.cluster, id).then(() => log(`etcd member ${id} promoted to a voting member`), (err: Error) => log(`etcd member ${id}: ${err.message}`));
  });
  return { name, peerURL: peer, supervisor, joinHandler, async stop() { client.close(); await supervisor.stop(); } };
}

/** Waits until the member answers a linearizable read (a learner cannot: it waits for its promotion). */
async function untilServing(client: Etcd3, supervisor: Supervisor, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    try {
      await client.get('/registry/lantern/etcd-probe').string();
      return;
    } catch (err) { last = err instanceof Error ? err.message : String(err); }
    if (Date.now() > deadline) {
      throw new Error(`the embedded etcd did not serve within ${timeoutMs / 1000} s (${last}); its output:\n${supervisor.output.slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
}
