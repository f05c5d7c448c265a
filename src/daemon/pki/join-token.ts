import { createHash, randomBytes } from 'node:crypto';

/**
 * A join token, in k3s' formats: the server's own `K10<sha256 hex of the CA certificate PEM>::node:<secret>`
 * (DATA_DIR/node-token), or a token made with `lcctl token create`, `K10<ca hash>::<id>.<secret>`
 * (kubeadm's bootstrap token after the hash; `id` is set for those). The hash is over the PEM bytes
 * exactly as the server serves them at GET /cacerts (as k3s does), so an agent can check what it
 * fetched before trusting it.
 */
export interface JoinToken { caHash: string; secret: string; id?: string }

/** sha256 hex of the CA bundle, as pinned in join tokens. */
export const caHash = (caPem: string | Buffer): string => createHash('sha256').update(caPem).digest('hex');

/** Render a token. */
export const formatJoinToken = (t: JoinToken): string => `K10${t.caHash}::node:${t.secret}`;

/** A fresh random secret for the token's last part. */
export const newJoinSecret = (): string => randomBytes(24).toString('hex');

/** Parse a token; throws an error that says what a valid token looks like. */
export function parseJoinToken(text: string): JoinToken {
  const t = text.trim();
  const made = /^K10([0-9a-f]{64})::([a-z0-9]{6})\.([a-z0-9]{16})$/.exec(t);
  if (made) return { caHash: made[1]!, id: made[2]!, secret: made[3]! };
  const m = /^K10([0-9a-f]{64})::node:([A-Za-z0-9._-]+)$/.exec(t);
  if (!m) throw new Error('the join token is malformed: expected K10<64 hex digits>::node:<secret>, as written to DATA_DIR/node-token on the server, or K10<64 hex digits>::<id>.<secret> from "lcctl token create"');
  return { caHash: m[1]!, secret: m[2]! };
}

/** Throws unless the CA bundle hashes to the token's pinned value. */
export function verifyCaPin(token: JoinToken, caPem: string | Buffer, server: string): void {
  const got = caHash(caPem);
  if (got !== token.caHash) {
    throw new Error(`refusing to join ${server}: its CA certificate hashes to ${got}, but the join token pins ${token.caHash}. ` +
      'Either the token belongs to another server or someone is intercepting the connection: copy DATA_DIR/node-token from the server again.');
  }
}
