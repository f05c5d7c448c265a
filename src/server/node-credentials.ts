import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { StateStore } from '../store/types.js';
import { StoreConflictError } from '../store/types.js';
import type { Identity } from './http/auth.js';

/** Where per-node credentials live in the store (outside the API's resource keys). */
export const nodeCredentialPrefix = '/registry/lantern/node-credentials/';

interface StoredCredential { node: string; sha256: string; issuedAt: string }

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
const TOKEN = /^lt-node:([a-z0-9]([-a-z0-9.]*[a-z0-9])?):([0-9a-f]{48})$/;

/**
 * Per-node bearer credentials (`lt-node:NAME:SECRET`), kept hashed in the store so they survive
 * restarts and every server sharing the store accepts them. Issuing again for a name rotates it.
 */
export class NodeCredentials {
  constructor(private readonly store: StateStore) {}

  /** Issue (or rotate) the credential of node `name`; returns the token, shown only this once. */
  async issue(name: string): Promise<string> {
    const token = `lt-node:${name}:${randomBytes(24).toString('hex')}`;
    const value = JSON.stringify({ node: name, sha256: sha256(token), issuedAt: new Date().toISOString() } satisfies StoredCredential);
    const key = nodeCredentialPrefix + name;
    for (let attempt = 0; ; attempt++) {
      const kv = await this.store.get(key);
      try {
        if (kv) await this.store.update(key, value, kv.modRevision);
        else await this.store.create(key, value);
        return token;
      } catch (e) {
        if (!(e instanceof StoreConflictError) || attempt >= 5) throw e;
      }
    }
  }

  /** The node identity for a token, or undefined when it is not a current node credential. */
  async identify(token: string): Promise<Identity | undefined> {
    const m = TOKEN.exec(token);
    if (!m) return undefined;
    const kv = await this.store.get(nodeCredentialPrefix + m[1]!);
    if (!kv) return undefined;
    const stored = JSON.parse(kv.value) as StoredCredential;
    const want = Buffer.from(stored.sha256, 'hex');
    const got = Buffer.from(sha256(token), 'hex');
    if (want.length !== got.length || !timingSafeEqual(want, got)) return undefined;
    return { name: `system:node:${stored.node}`, role: 'node' };
  }
}
