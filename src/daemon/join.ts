import https from 'node:https';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ApiError } from '../api/errors.js';
import { HttpClient, parseAnswer, readAll, type ClientConfig } from '../client/http-client.js';
import { parseJoinToken, verifyCaPin } from './pki/join-token.js';
import { writeFileAtomic } from './credentials.js';
import { loadOrCreateNodeSecret } from './node-secret.js';
import { joinPath, type JoinBody } from '../server/http/join.js';
import { checkServerVersion } from './server-version-check.js';

/**
 * GET /cacerts without verifying the server's certificate: it cannot be verified yet. The caller
 * must check what comes back against the join token's pinned hash before trusting it.
 */
export function fetchCaInsecure(server: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = https.get(new URL('/cacerts', server), { rejectUnauthorized: false, timeout: 15_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        if (res.statusCode === 200) resolve(Buffer.concat(chunks).toString('utf8'));
        else reject(new Error(`GET ${server}/cacerts answered ${res.statusCode ?? '?'}: is ${server} a Lantern server?`));
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (e) => reject(new Error(`cannot fetch the CA from ${server}/cacerts: ${e.message}`)));
  });
}

/** The longest a join waits on one 429 before it asks again. */
const maxJoinWaitS = 60;

/**
 * POST the join with the join token `joiner` carries; on 429 (joins per minute are limited) wait as
 * long as Retry-After says and ask again, for as long as it takes (HttpClient itself retries a 429
 * only a few times, at most 10 s apart, while a join bucket may need a minute to refill).
 * Resolves with the node's new credential.
 */
export async function requestJoin(joiner: HttpClient, body: JoinBody, log: (m: string) => void): Promise<string> {
  for (;;) {
    const res = await joiner.raw('POST', joinPath, JSON.stringify(body), { 'content-type': 'application/json' });
    const text = await readAll(res.body);
    if (res.status === 429) {
      const after = Number(res.headers['retry-after']);
      const s = Number.isFinite(after) && after >= 0 ? Math.min(maxJoinWaitS, Math.max(1, Math.ceil(after))) : 5;
      log(`the server limits joins per minute: joining ${body.nodeName} again in ${s}s`);
      await new Promise((r) => setTimeout(r, s * 1000));
      continue;
    }
    const answer = parseAnswer<{ token?: unknown }>(res.status, text);
    if (typeof answer.token !== 'string') throw new ApiError('Internal', `${joiner.config.server} answered the join of ${body.nodeName} without a credential`);
    return answer.token;
  }
}

/**
 * Join a server: trust its CA through the token's pin, then reuse this node's stored credential
 * (DATA_DIR/node-credential) or get a new one from the join endpoint, proving the node secret
 * (DATA_DIR/node-secret, made at the first join). Returns the client config the agent uses from then on.
 */
export async function joinServer(opts: { server: string; token: string; nodeName: string; dataDir: string; log?: (m: string) => void; version?: string }): Promise<ClientConfig> {
  const log = opts.log ?? ((m: string) => console.error(`lanternd agent: ${m}`));
  const token = parseJoinToken(opts.token);
  const server = opts.server.replace(/\/+$/, '');
  let ca: string | undefined;
  if (new URL(server).protocol === 'https:') {
    ca = await fetchCaInsecure(server);
    verifyCaPin(token, ca, server);
    await writeFileAtomic(path.join(opts.dataDir, 'ca.crt'), ca, 0o644);
  } else {
    log(`WARNING: ${server} is plain HTTP: the server cannot be verified and the credential crosses the network in clear text`);
  }
  const withToken = (t: string): ClientConfig => (ca === undefined ? { server, token: t } : { server, token: t, ca });
  const credFile = path.join(opts.dataDir, 'node-credential');
  const { secret, created } = await loadOrCreateNodeSecret(opts.dataDir);
  const stored = (await readFile(credFile, 'utf8').catch(() => '')).trim();
  const joiner = new HttpClient(withToken(opts.token));
  // The version skew policy, before a stored credential is used or a join is asked for.
  if (opts.version !== undefined) await checkServerVersion(joiner, opts.version);
  const body: JoinBody = { nodeName: opts.nodeName, nodeSecret: secret, ...(stored !== '' ? { credential: stored } : {}), ...(opts.version !== undefined ? { version: opts.version } : {}) };

  if (stored !== '' && await credentialWorks(withToken(stored), opts.nodeName)) {
    if (!created) return withToken(stored);
    // A data dir from before node secrets: have the server record this new secret (the credential
    // proves the node), so a lost credential can later be recovered with the secret.
    try {
      const fresh = await requestJoin(joiner, body, log);
      await writeFileAtomic(credFile, fresh + '\n', 0o600);
      return withToken(fresh);
    } catch (e) {
      log(`could not record the node secret with the server (${e instanceof Error ? e.message : String(e)}); going on with the stored credential`);
      return withToken(stored);
    }
  }
  const fresh = await requestJoin(joiner, body, log);
  await writeFileAtomic(credFile, fresh + '\n', 0o600);
  return withToken(fresh);
}

async function credentialWorks(config: ClientConfig, nodeName: string): Promise<boolean> {
  try {
    await new HttpClient(config).get('nodes', nodeName);
    return true;
  } catch (e) {
    if (e instanceof ApiError && e.code === 'NotFound') return true;
    if (e instanceof ApiError && e.code === 'Unauthorized') return false;
    throw e;
  }
}
