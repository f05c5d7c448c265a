/**
 * The joining server's side: fetch the first server's CA and check it against the token's hash (no
 * secret goes out before), ask it to add our etcd member, and write what it answers into our data dir
 * where the security and credential components find it (pki/ca.*, pki/service-account.key, admin-token, node-token, the
 * secrets-encryption keys) before they start.
 */
import https from 'node:https';
import path from 'node:path';
import { caHash } from '../pki/join-token.js';
import { writeFileAtomic } from '../credentials.js';
import { encryptionConfigPath } from '../../server/encryption/secrets-encryption.js';
import type { ServerToken } from './server-token.js';
import { serverJoinPath, type ServerBootstrap, type ServerJoinRequest } from './join-route.js';

function request(url: string, opts: https.RequestOptions, body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { ...opts, timeout: 30_000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('no answer in 30 s')));
    req.on('error', reject);
    req.end(body);
  });
}

/** Joins through SERVER with TOKEN; returns the bootstrap after writing its files into DATA_DIR. */
export async function joinCluster(server: string, token: ServerToken, dataDir: string, me: ServerJoinRequest): Promise<ServerBootstrap> {
  const where = `--server ${server}`;
  const ca = await request(`${server}/cacerts`, { rejectUnauthorized: false }).catch((err: Error) => {
    throw new Error(`${where}: cannot reach it (${err.message}): is the first server running and its address right?`);
  });
  if (ca.status !== 200) throw new Error(`${where}: GET /cacerts answered ${ca.status}: is it a lanternd server?`);
  if (caHash(ca.text) !== token.caHash) {
    throw new Error(`refusing to join ${server}: its CA certificate hashes to ${caHash(ca.text)}, but the token pins ${token.caHash}. ` +
      'Either the token belongs to another cluster or someone is intercepting the connection: copy DATA_DIR/server-token from the first server again.');
  }
  const answer = await request(`${server}${serverJoinPath}`, {
    method: 'POST', ca: ca.text, headers: { authorization: `Bearer ${token.secret}`, 'content-type': 'application/json' },
  }, JSON.stringify(me)).catch((err: Error) => { throw new Error(`${where}: the join failed: ${err.message}`); });
  if (answer.status === 401) throw new Error(`${where}: the token was refused (401): use the first server's current DATA_DIR/server-token`);
  if (answer.status !== 201) throw new Error(`${where}: the join answered ${answer.status}: ${answer.text.slice(0, 500)}`);
  const b = JSON.parse(answer.text) as ServerBootstrap;
  await writeFileAtomic(path.join(dataDir, 'pki', 'ca.crt'), b.caCert, 0o644);
  await writeFileAtomic(path.join(dataDir, 'pki', 'ca.key'), b.caKey, 0o600);
  await writeFileAtomic(path.join(dataDir, 'admin-token'), b.adminToken + '\n', 0o600);
  await writeFileAtomic(path.join(dataDir, 'node-token'), b.nodeToken + '\n', 0o600);
  if (b.encryptionConfig !== undefined) await writeFileAtomic(encryptionConfigPath(dataDir), b.encryptionConfig, 0o600);
  if (b.serviceAccountKey !== undefined) await writeFileAtomic(path.join(dataDir, 'pki', 'service-account.key'), b.serviceAccountKey, 0o600);
  return b;
}
