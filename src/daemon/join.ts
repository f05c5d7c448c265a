import https from 'node:https';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ApiError } from '../api/errors.js';
import { HttpClient, type ClientConfig } from '../client/http-client.js';
import { parseJoinToken, verifyCaPin } from './pki/join-token.js';
import { writeFileAtomic } from './credentials.js';
import { joinPath } from '../server/http/join.js';

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

/**
 * Join a server: trust its CA through the token's pin, then reuse this node's stored credential
 * (DATA_DIR/node-credential) or get a new one from the join endpoint. Returns the client config
 * the agent uses from then on.
 */
export async function joinServer(opts: { server: string; token: string; nodeName: string; dataDir: string }): Promise<ClientConfig> {
  const token = parseJoinToken(opts.token);
  const server = opts.server.replace(/\/+$/, '');
  let ca: string | undefined;
  if (new URL(server).protocol === 'https:') {
    ca = await fetchCaInsecure(server);
    verifyCaPin(token, ca, server);
    await writeFileAtomic(path.join(opts.dataDir, 'ca.crt'), ca, 0o644);
  } else {
    console.error(`lanternd agent: WARNING: ${server} is plain HTTP: the server cannot be verified and the credential crosses the network in clear text`);
  }
  const withToken = (t: string): ClientConfig => (ca === undefined ? { server, token: t } : { server, token: t, ca });
  const credFile = path.join(opts.dataDir, 'node-credential');
  const stored = (await readFile(credFile, 'utf8').catch(() => '')).trim();
  if (stored !== '' && await credentialWorks(withToken(stored), opts.nodeName)) return withToken(stored);

  const answer = await new HttpClient(withToken(opts.token)).json<{ token?: unknown }>('POST', joinPath, { nodeName: opts.nodeName });
  if (typeof answer.token !== 'string') throw new ApiError('Internal', `${server} answered the join without a credential`);
  await writeFileAtomic(credFile, answer.token + '\n', 0o600);
  return withToken(answer.token);
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
