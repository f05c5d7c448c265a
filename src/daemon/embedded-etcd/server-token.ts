/**
 * The server token, in k3s' format: `K10<sha256 hex of the CA PEM>::server:<secret>`, written by a
 * --cluster-init server to DATA_DIR/server-token. The secret is the admin token: a joining server
 * receives the CA key and the admin token anyway (it becomes an equal peer), so a weaker token would
 * only be another name for the same power, and one less secret to rotate. The CA hash lets the joiner
 * check the first server's /cacerts before it sends the secret.
 */
import path from 'node:path';
import { caHash } from '../pki/join-token.js';
import { writeFileAtomic } from '../credentials.js';

/** A parsed server token. */
export interface ServerToken { caHash: string; secret: string }

/** Renders a token. */
export const formatServerToken = (t: ServerToken): string => `K10${t.caHash}::server:${t.secret}`;

/** Parses a token; throws an error that says what a valid one looks like. */
export function parseServerToken(text: string): ServerToken {
  const m = /^K10([0-9a-f]{64})::server:([A-Za-z0-9._-]{16,256})$/.exec(text.trim());
  if (!m) throw new Error('the server token is malformed: expected K10<64 hex digits>::server:<secret>, as written to DATA_DIR/server-token on the first server (lanternd server --cluster-init)');
  return { caHash: m[1]!, secret: m[2]! };
}

/** DATA_DIR/server-token (0600), rewritten at each start from the CA and the current admin token. */
export async function writeServerToken(dataDir: string, caPem: string, adminToken: string): Promise<string> {
  const token = formatServerToken({ caHash: caHash(caPem), secret: adminToken });
  await writeFileAtomic(path.join(dataDir, 'server-token'), token + '\n', 0o600);
  return token;
}
