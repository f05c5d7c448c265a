/**
 * etcd membership through the etcd3 client: a new server is added as a learner (it cannot cost the
 * cluster its quorum while it catches up, so a joiner that dies before it starts does not block the
 * others) and promoted to a voting member once it has caught up.
 */
import { readFile } from 'node:fs/promises';
import { Etcd3, type IMember } from 'etcd3';
import type { EtcdCertFiles } from './certs.js';

/** A client of the local member with the member's own certificate (the CA trusts it as a client). */
export async function memberClient(clientPort: number, certs: EtcdCertFiles): Promise<Etcd3> {
  const [rootCertificate, certChain, privateKey] = await Promise.all([readFile(certs.ca), readFile(certs.cert), readFile(certs.key)]);
  return new Etcd3({ hosts: [`https://127.0.0.1:${clientPort}`], dialTimeout: 5_000, credentials: { rootCertificate, certChain, privateKey } });
}

/** What a joining member needs to start: its id and etcd's --initial-cluster. */
export interface AddedMember { id: string; initialCluster: string }

/** The membership calls we use (the etcd3 client's `cluster`; a fake in unit tests). */
export interface ClusterApi {
  memberList(req: Record<string, never>): Promise<{ members: IMember[] }>;
  memberAdd(req: { peerURLs: string[]; isLearner: boolean }): Promise<{ member: IMember; members: IMember[] }>;
  memberRemove(req: { ID: string }): Promise<unknown>;
  memberPromote(req: { ID: string }): Promise<unknown>;
}

/**
 * Adds NAME at PEER_URL as a learner and returns --initial-cluster as etcdctl prints it. A member with
 * the same peer URL that never started (an earlier join of this server that failed) is removed first;
 * one that runs is refused, with the command that removes it.
 */
export async function addLearner(cluster: ClusterApi, name: string, peer: string): Promise<AddedMember> {
  const { members } = await cluster.memberList({});
  for (const m of members) {
    if (!m.peerURLs.includes(peer)) continue;
    if (m.name !== '' && m.name !== name) {
      throw new Error(`the etcd cluster already has member ${m.name} (id ${m.ID}) at ${peer}: remove it first (etcdctl member remove ${m.ID}) or advertise another address`);
    }
    await cluster.memberRemove({ ID: m.ID });
  }
  const added = await cluster.memberAdd({ peerURLs: [peer], isLearner: true });
  const parts: string[] = [];
  for (const m of added.members) {
    for (const u of m.peerURLs) parts.push(`${m.ID === added.member.ID ? name : m.name}=${u}`);
  }
  return { id: added.member.ID, initialCluster: parts.join(',') };
}

/** Promotes learner ID once etcd says it has caught up (retried until `timeoutMs`). */
export async function promoteWhenReady(cluster: ClusterApi, id: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await cluster.memberPromote({ ID: id });
      return;
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      if (/not a learner|member not found/i.test(msg) && (await isVoter(cluster, id))) return;
      if (Date.now() > deadline) throw new Error(`the etcd learner ${id} was not promoted within ${timeoutMs / 1000} s: ${msg}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function isVoter(cluster: ClusterApi, id: string): Promise<boolean> {
  const { members } = await cluster.memberList({});
  return members.some((m) => m.ID === id && !m.isLearner);
}
