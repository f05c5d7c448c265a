import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { ApiError } from '../api/errors.js';
import { StoreConflictError, type StateStore } from '../store/types.js';
import type { Identity } from './http/auth.js';

/** Where join tokens made with `lcctl token create` live in the store (hashed). */
export const joinTokenPrefix = '/registry/lantern/join-tokens/';

interface StoredJoinToken { id: string; secretSha256: string; description: string; createdAt: string; expires?: string }

/** A join token as listed: never its secret. */
export interface JoinTokenInfo { id: string; description: string; createdAt: string; expires?: string }

/** What creating one answers: the token itself, shown only this once. */
export interface CreatedJoinToken extends JoinTokenInfo { token: string }

const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
const random = (n: number): string => Array.from({ length: n }, () => alphabet[randomInt(alphabet.length)]).join('');
const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/** kubeadm's bootstrap token `ID.SECRET` ([a-z0-9]{6}.[a-z0-9]{16}), bare or in k3s' `K10<ca hash>::ID.SECRET`. */
const TOKEN = /^(?:K10[0-9a-f]{64}::)?([a-z0-9]{6})\.([a-z0-9]{16})$/;

/** The id of a token or of an id as the user typed it (ID, ID.SECRET or the whole K10 token). */
export function joinTokenId(text: string): string | undefined {
  const t = text.trim();
  if (/^[a-z0-9]{6}$/.test(t)) return t;
  return TOKEN.exec(t)?.[1];
}

/**
 * Join tokens with an expiry and a description, as kubeadm's bootstrap tokens and `k3s token create`:
 * `K10<sha256 of the CA>::ID.SECRET`, accepted by `lanternd agent --token` next to DATA_DIR/node-token.
 * Only the secret's hash is stored; an expired token is refused with a message that says so.
 */
export class JoinTokens {
  constructor(private readonly store: StateStore, private readonly caHash: string, private readonly now: () => number = Date.now) {}

  /** Make a token; ttlSeconds 0 means it never expires. */
  async create(opts: { ttlSeconds: number; description?: string }): Promise<CreatedJoinToken> {
    const secret = random(16);
    const createdAt = new Date(this.now()).toISOString();
    for (let attempt = 0; ; attempt++) {
      const id = random(6);
      const info: JoinTokenInfo = {
        id, description: opts.description ?? '', createdAt,
        ...(opts.ttlSeconds > 0 ? { expires: new Date(this.now() + opts.ttlSeconds * 1000).toISOString() } : {}),
      };
      try {
        await this.store.create(joinTokenPrefix + id, JSON.stringify({ ...info, secretSha256: sha256(secret) } satisfies StoredJoinToken));
        return { ...info, token: `K10${this.caHash}::${id}.${secret}` };
      } catch (e) {
        if (!(e instanceof StoreConflictError) || attempt >= 5) throw e; // an id taken already: draw another
      }
    }
  }

  /** Every token, oldest first. */
  async list(): Promise<JoinTokenInfo[]> {
    const { items } = await this.store.list(joinTokenPrefix);
    return items.map((kv) => {
      const { secretSha256: _hash, ...info } = JSON.parse(kv.value) as StoredJoinToken;
      return info;
    }).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  /** Delete a token: joins with it stop at once; nodes that joined with it keep their credentials. */
  async delete(id: string): Promise<void> {
    const kv = await this.store.get(joinTokenPrefix + id);
    if (!kv) throw new ApiError('NotFound', `join token "${id}" not found: list them with "lcctl token list"`, { kind: 'JoinToken', name: id });
    await this.store.delete(joinTokenPrefix + id);
  }

  /** The join identity of a current token; undefined for text that is not one; Unauthorized when expired. */
  async identify(token: string): Promise<Identity | undefined> {
    const m = TOKEN.exec(token);
    if (!m) return undefined;
    const kv = await this.store.get(joinTokenPrefix + m[1]!);
    if (!kv) return undefined;
    const stored = JSON.parse(kv.value) as StoredJoinToken;
    const want = Buffer.from(stored.secretSha256, 'hex');
    const got = Buffer.from(sha256(m[2]!), 'hex');
    if (want.length !== got.length || !timingSafeEqual(want, got)) return undefined;
    if (stored.expires !== undefined && Date.parse(stored.expires) <= this.now()) {
      throw new ApiError('Unauthorized', `join token "${stored.id}" expired at ${stored.expires}: ask an admin for a new one ("lcctl token create --ttl 24h")`);
    }
    return { name: `system:bootstrap:${stored.id}`, role: 'join' };
  }
}
